public enum VTestSupportPlaceholder {}
