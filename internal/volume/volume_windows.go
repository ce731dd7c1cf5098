package volume

import (
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

func stat(path string) (Info, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return Info{}, err
	}
	var free, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree); err != nil {
		return Info{}, err
	}
	in := Info{Free: int64(free), Total: int64(total), Block: 4096}
	root, err := volumeRoot(p)
	if err != nil {
		return in, nil // the sizes are known; the rest stays at its defaults
	}
	var flags uint32
	name := make([]uint16, windows.MAX_PATH+1)
	if windows.GetVolumeInformation(root, nil, 0, nil, nil, &flags, &name[0], uint32(len(name))) == nil {
		in.ReadOnly = flags&windows.FILE_READ_ONLY_VOLUME != 0
		fsName := strings.ToUpper(windows.UTF16ToString(name))
		in.FAT = fsName == "FAT" || fsName == "FAT32" // exFAT has no 4 GB limit
	}
	if b := clusterSize(root); b > 0 {
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

// volumeRoot is the root of the volume holding p ("C:\\", or the folder a
// volume is mounted on).
func volumeRoot(p *uint16) (*uint16, error) {
	root := make([]uint16, windows.MAX_PATH+1)
	if err := windows.GetVolumePathName(p, &root[0], uint32(len(root))); err != nil {
		return nil, err
	}
	return &root[0], nil
}

func device(path string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	root, err := volumeRoot(p)
	if err != nil {
		return 0, err
	}
	var serial uint32
	if err := windows.GetVolumeInformation(root, nil, 0, &serial, nil, nil, nil, 0); err != nil {
		return 0, err
	}
	return uint64(serial), nil
}
