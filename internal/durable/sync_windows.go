package durable

import "os"

// syncDir only checks that the folder is there: Windows cannot open a
// folder to flush it (NTFS makes a rename durable with its own journal).
func syncDir(dir string) error {
	_, err := os.Stat(dir)
	return err
}

// dataSync is FlushFileBuffers (Windows has no data-only flush).
func dataSync(f *os.File) error { return f.Sync() }

// syncFS does nothing: flushing a whole volume (FlushFileBuffers on the
// volume's handle) needs an administrator. Each file is flushed and each
// rename written through instead, and Windows mounts USB sticks for quick
// removal (no write cache) unless the user changed it.
func syncFS(*os.File) error { return nil }

// dropCache does nothing: Windows has no call that drops a file's pages
// from its cache, so a read back may come from memory.
func dropCache(*os.File) {}
