package importer

import (
	"context"
	"fmt"
	"os"

	"sangstudio/internal/durable"
	"sangstudio/projects/library"
)

// NewSong makes a new song in the library lib from files (their tracks, as
// Import makes them; opt.Title and opt.Rate for the song) and returns its
// folder. The import runs in a hidden folder inside the library (which the
// song list does not show); only when it has succeeded is the song moved,
// whole, into a folder named after the title (reserved with
// Library.NewSong, so it is named as every other song). On failure or
// cancel the hidden folder is removed, so nothing half-made is ever left.
// The library's Import button and files opened from the file manager both
// make their songs so.
func NewSong(ctx context.Context, lib *library.Library, files []string, opt Options) (string, error) {
	staging, err := os.MkdirTemp(lib.Root, ".import-")
	if err != nil {
		return "", fmt.Errorf("cannot make a folder in %s: %w", lib.Root, err)
	}
	defer os.RemoveAll(staging) // made just above, only for this import; gone once moved
	if _, err := Import(ctx, staging, files, opt); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	// NewSong finds a free folder name and takes it; its empty song is
	// replaced by the imported one.
	dir, err := lib.NewSong(opt.Title, opt.Rate)
	if err != nil {
		return "", err
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("cannot make the folder %s: %w", dir, err)
	}
	if err := os.Rename(staging, dir); err != nil {
		return "", fmt.Errorf("cannot make the folder %s: %w", dir, err)
	}
	durable.SyncDir(lib.Root)
	return dir, nil
}
