package device

// JACKClientName returns the name JACK gave a JACK stream's client ("" for
// other streams).
func JACKClientName(s Stream) string {
	if js, ok := s.(*jackStream); ok {
		return js.ClientName()
	}
	return ""
}

// JACKRefusedCalls counts the jack_client_open calls refused to PortAudio
// (see jack_c.go).
func JACKRefusedCalls() int { return jackRefusedCalls() }

// HasStreamPointer tells whether s (a PortAudio stream) found its PaStream
// pointer, which Pa_IsStreamActive needs to detect a lost device.
func HasStreamPointer(s Stream) bool {
	ps, ok := s.(*paStream)
	return ok && ps.ptr != nil
}
