package volume

import (
	"io/fs"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

func stat(path string) (Info, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return Info{}, &fs.PathError{Op: "statfs", Path: path, Err: err}
	}
	var free, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree); err != nil {
		return Info{}, &fs.PathError{Op: "GetDiskFreeSpaceEx", Path: path, Err: err}
	}
	in := Info{Free: int64(free), Total: int64(total), Block: 4096}
	root := make([]uint16, windows.MAX_PATH+1)
	if err := windows.GetVolumePathName(p, &root[0], uint32(len(root))); err != nil {
		return in, nil // the sizes are known; the rest stays at its defaults
	}
	var flags uint32
	name := make([]uint16, windows.MAX_PATH+1)
	if windows.GetVolumeInformation(&root[0], nil, 0, nil, nil, &flags, &name[0], uint32(len(name))) == nil {
		in.ReadOnly = flags&windows.FILE_READ_ONLY_VOLUME != 0
		fsName := strings.ToUpper(windows.UTF16ToString(name))
		in.FAT = fsName == "FAT" || fsName == "FAT32" // exFAT has no 4 GB limit
	}
	if b := clusterSize(&root[0]); b > 0 {
		in.Block = b
	}
	return in, nil
}

// clusterSize is the allocation unit of the volume whose root is given
// (GetDiskFreeSpaceW), or 0 when Windows does not say.
func clusterSize(root *uint16) int64 {
	proc := windows.NewLazySystemDLL("kernel32.dll").NewProc("GetDiskFreeSpaceW")
	var sectorsPerCluster, bytesPerSector, freeClusters, clusters uint32
	r, _, _ := proc.Call(uintptr(unsafe.Pointer(root)),
		uintptr(unsafe.Pointer(&sectorsPerCluster)), uintptr(unsafe.Pointer(&bytesPerSector)),
		uintptr(unsafe.Pointer(&freeClusters)), uintptr(unsafe.Pointer(&clusters)))
	if r == 0 {
		return 0
	}
	return int64(sectorsPerCluster) * int64(bytesPerSector)
}
