package history

// SetLimits lowers the step and size limits for a test; the returned
// function restores them.
func SetLimits(steps, bytes int) (restore func()) {
	s, b := maxSteps, maxBytes
	maxSteps, maxBytes = steps, bytes
	return func() { maxSteps, maxBytes = s, b }
}
