// Package volume says what the disk holding a path has room for: the
// space free for this user, its size and allocation unit, whether it is
// read-only, and whether its file system is FAT (at most 4 GB per file).
// Renders, archives, take-home copies and the writability check ask it
// before they write.
//
// The system part is in volume_linux.go (statfs) and volume_windows.go
// (GetDiskFreeSpaceEx and GetVolumeInformation).
package volume

import "path/filepath"

// Info describes one disk (file system).
type Info struct {
	Free     int64 // bytes this user can still write
	Total    int64 // the file system's size in bytes
	Block    int64 // the allocation unit in bytes: a file takes whole ones
	ReadOnly bool  // mounted (or set) read-only
	FAT      bool  // FAT12/16/32, which holds at most 4 GB per file
}

// Stat describes the disk that holds path (a file or a folder). An error
// is the system's own (an errno on Linux, an ERROR_… code on Windows).
func Stat(path string) (Info, error) { return stat(path) }

// Device identifies the disk that holds path: it changes when another
// disk is mounted there, or the disk is gone (an error). On Linux it is
// st_dev, on Windows the volume's serial number.
func Device(path string) (uint64, error) { return device(path) }

// Free is the space free for this user on the disk holding dir or, when
// dir does not exist yet, its nearest existing parent. ok is false when
// no parent can be asked either.
func Free(dir string) (free int64, ok bool) {
	for {
		if in, err := stat(dir); err == nil {
			return in.Free, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return 0, false
		}
		dir = parent
	}
}
