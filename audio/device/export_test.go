package device

// JACKClientName returns the name of PortAudio's JACK client while
// PortAudio is in use ("" otherwise).
func JACKClientName() string { return jackClientName() }

// HasStreamPointer tells whether s (a PortAudio stream) found its PaStream
// pointer, which Pa_IsStreamActive needs to detect a lost device.
func HasStreamPointer(s Stream) bool {
	ps, ok := s.(*paStream)
	return ok && ps.ptr != nil
}
