package scanner

// DefaultOptions returns the options that the zero Options stands for,
// every default filled in, so that a command line can show them without
// repeating them.
func DefaultOptions() Options { return Options{}.withDefaults() }
