package wav

// Abandon closes the file of a Writer whose output is given up (to be
// removed by the caller: a cancelled or failed render). Unlike Close it
// neither writes the header nor waits for the data to reach the disk, so
// giving up a large file is immediate. The Writer cannot be used after.
func (w *Writer) Abandon() error {
	if w.closed {
		return errClosed
	}
	w.closed = true
	return w.f.Close()
}
