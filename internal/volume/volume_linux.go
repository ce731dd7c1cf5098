package volume

import "golang.org/x/sys/unix"

func stat(path string) (Info, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return Info{}, err
	}
	return Info{
		Free:     int64(st.Bavail) * int64(st.Bsize),
		Total:    int64(st.Blocks) * int64(st.Bsize),
		Block:    int64(st.Bsize),
		ReadOnly: st.Flags&unix.ST_RDONLY != 0,
		FAT:      int64(st.Type) == unix.MSDOS_SUPER_MAGIC,
	}, nil
}

func device(path string) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return 0, err
	}
	return uint64(st.Dev), nil
}
