package history

// Labels returns the labels of every step that can be undone and redone,
// oldest first in each (the last is what Undo or Redo would do next): a
// window keeps this copy so that its menus never wait for the disk.
func (h *History) Labels() (undo, redo []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.undo {
		undo = append(undo, s.Label)
	}
	for _, s := range h.redo {
		redo = append(redo, s.Label)
	}
	return undo, redo
}
