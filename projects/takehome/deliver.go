package takehome

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/internal/volume"
)

// File is one finished file to deliver.
type File struct {
	Src  string // local file, already complete
	Name string // file name on the destination; must be a SafeName (Deliver refuses a name SafeName would change)
}

// Progress is told how many bytes of the files have been written so far, of
// total. It is called from Deliver's goroutine.
type Progress func(done, total int64)

// Report tells what Deliver wrote.
type Report struct {
	Folder string   // full path of the folder
	Files  []string // full paths written, in the order of the files given
	Bytes  int64    // bytes written
}

// NoSpaceError is returned by Deliver, before anything is written, when the
// drive has too little free space.
type NoSpaceError struct {
	Dir        string
	Need, Free int64
}

func (e *NoSpaceError) Error() string {
	return fmt.Sprintf("not enough space in %s: the files need %s, %s is free", e.Dir, Size(e.Need), Size(e.Free))
}

// Is makes errors.Is(err, syscall.ENOSPC) true for a *NoSpaceError.
func (e *NoSpaceError) Is(target error) bool { return target == syscall.ENOSPC }

// Causes that errors.Is finds in Deliver's errors (besides syscall.ENOSPC
// for a full drive and context.Canceled / DeadlineExceeded).
var (
	ErrWriteProtected = errors.New("the drive is write-protected")
	ErrRemoved        = errors.New("the drive was removed")
	ErrCopyDiffers    = errors.New("the copy on the drive differs from the original")
)

// Error is a failure of Deliver in plain words, naming the file or folder.
// errors.Is finds both its Kind (ErrWriteProtected, ErrRemoved,
// ErrCopyDiffers, or nil) and the underlying error (syscall.ENOSPC, …).
type Error struct {
	Text string // the whole message
	Path string // the file or folder concerned
	Kind error
	Err  error
}

func (e *Error) Error() string { return e.Text }
func (e *Error) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// between is what happens between Deliver's steps while it waits on
// nothing: for Deliver, nothing; a caller of deliver may change the stick
// there, as another program or a failing stick would.
type between struct {
	spaceChecked func()               // after the free-space check passed
	written      func(temps []string) // when every file is written, before it is read back
}

const (
	chunkSize = 1 << 20
	// syncEvery bytes the data is flushed while writing, so progress follows
	// the stick rather than the memory cache (and the final fsync is short).
	syncEvery = 8 << 20
	// fat32Max is the largest file FAT32 can hold.
	fat32Max = 1<<32 - 1
)

// Margin is the free space Deliver wants beyond the files' size: 1 MB, 1 %
// and one cluster per file and for the folder (FAT allocates whole
// clusters).
func Margin(total int64, files int, clusterSize int64) int64 {
	if clusterSize < 512 {
		clusterSize = 4096
	}
	return 1<<20 + total/100 + int64(files+1)*clusterSize
}

// Deliver copies files into destRoot/folder, creating the folder if it is
// missing (folder "" means destRoot itself). Folder and file names must be
// SafeNames; two names may not differ only in case (FAT and exFAT would see
// one file). The steps:
//
//  1. all sources are checked and the free space of destRoot's file system
//     must be at least their size plus Margin; otherwise a *NoSpaceError is
//     returned before anything is written (so is an error for a file of 4 GB
//     or more on FAT32, or for a read-only drive);
//  2. the folder is created (0700 where the file system keeps modes: these
//     are health-related recordings);
//  3. each file is written under a hidden temporary name ".NAME.part"
//     (0600), flushed (fsync) and dropped from the page cache;
//  4. each temporary file is read back from the drive and compared with the
//     source (SHA-256 of the bytes read from the source while copying);
//  5. only when all are written and verified, each is renamed to its name,
//     replacing an older file of that name; the folder is flushed, then the
//     whole file system (syncfs), so that FAT metadata is on the stick.
//
// When Deliver returns nil, the files are complete on the drive and it can
// be unmounted and removed. On an error or cancellation (ctx is checked
// while copying and verifying, not once renaming has begun) every temporary
// file and every file this call created is removed, and the folder too if
// this call created it; nothing else is left on the drive. A file that was
// replaced (the same song taken home again) cannot be restored if the
// renaming fails midway — which needs the drive to fail after every file was
// already verified on it.
//
// Errors are plain and name the file or folder; errors.Is finds the cause:
// *NoSpaceError or syscall.ENOSPC (full), ErrWriteProtected, ErrRemoved
// (removed while writing), ErrCopyDiffers (the stick returned other bytes),
// context.Canceled.
func Deliver(ctx context.Context, files []File, destRoot, folder string, progress Progress) (*Report, error) {
	return deliver(ctx, files, destRoot, folder, progress, between{})
}

// deliver is Deliver, calling what between holds between its steps.
func deliver(ctx context.Context, files []File, destRoot, folder string, progress Progress, at between) (_ *Report, err error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Text: "copying was cancelled", Path: destRoot, Err: err}
	}
	if progress == nil {
		progress = func(int64, int64) {}
	}
	if err := checkNames(files, folder); err != nil {
		return nil, err
	}

	// 1. Sources and free space.
	sizes, total, err := sourceSizes(files)
	if err != nil {
		return nil, err
	}
	d := &delivery{ctx: ctx, root: destRoot, dir: filepath.Join(destRoot, folder)}
	if err := d.checkDrive(files, sizes, total); err != nil {
		return nil, err
	}
	if at.spaceChecked != nil {
		at.spaceChecked()
	}

	defer func() {
		if err != nil {
			d.cleanup()
		}
	}()

	// 2. The folder.
	if err := d.makeDir(); err != nil {
		return nil, err
	}
	finals, err := d.finalPaths(files)
	if err != nil {
		return nil, err
	}

	// 3. Write under temporary names.
	temps, sums, err := d.writeAll(files, sizes, total, progress)
	if err != nil {
		return nil, err
	}

	// 4. Read back.
	if at.written != nil {
		at.written(temps)
	}
	if err := d.verifyAll(files, temps, sums, sizes); err != nil {
		return nil, err
	}

	// 5. Give the files their names and flush everything.
	if err := d.rename(files, temps, finals); err != nil {
		return nil, err
	}
	if err := d.flush(); err != nil {
		return nil, err
	}
	return &Report{Folder: d.dir, Files: finals, Bytes: total}, nil
}

// checkNames checks that there are files, that the folder and file names
// are SafeNames and that no two file names differ only in case.
func checkNames(files []File, folder string) error {
	if len(files) == 0 {
		return errors.New("there are no files to copy")
	}
	if folder != "" && SafeName(folder, MaxName, "") != folder {
		return fmt.Errorf("the folder name %q cannot be used on a USB stick (a safe name would be %q)", folder, SafeName(folder, MaxName, "Sang"))
	}
	names := map[string]string{}
	for _, f := range files {
		if f.Name == "" || SafeName(f.Name, MaxName, "") != f.Name {
			return fmt.Errorf("the file name %q cannot be used on a USB stick (a safe name would be %q)", f.Name, SafeName(f.Name, MaxName, "Sang"))
		}
		key := strings.ToLower(f.Name)
		if other, ok := names[key]; ok {
			return fmt.Errorf("two files would have the same name on the USB stick: %q and %q", other, f.Name)
		}
		names[key] = f.Name
	}
	return nil
}

// sourceSizes checks that each source is a file and returns the sizes and
// their sum.
func sourceSizes(files []File) ([]int64, int64, error) {
	sizes := make([]int64, len(files))
	var total int64
	for i, f := range files {
		fi, err := os.Stat(f.Src)
		if err != nil {
			return nil, 0, sourceError(f.Src, err)
		}
		if !fi.Mode().IsRegular() {
			return nil, 0, fmt.Errorf("cannot copy %s: it is not a file", f.Src)
		}
		sizes[i] = fi.Size()
		total += fi.Size()
	}
	return sizes, total, nil
}

// checkDrive checks that the destination is a writable folder with room
// for the files (and, on FAT32, that each fits), and notes its device.
func (d *delivery) checkDrive(files []File, sizes []int64, total int64) error {
	st, err := os.Stat(d.root)
	if err == nil {
		d.rootDev, err = volume.Device(d.root)
	}
	if err != nil {
		var pe *fs.PathError
		if !errors.As(err, &pe) {
			err = &fs.PathError{Op: "stat", Path: d.root, Err: err}
		}
		return &Error{Text: fmt.Sprintf("%s is not available (the USB stick may have been removed)", d.root), Path: d.root, Kind: ErrRemoved, Err: err}
	}
	if !st.IsDir() {
		return fmt.Errorf("cannot copy to %s: it is not a folder", d.root)
	}
	vol, err := volume.Stat(d.root)
	if err != nil {
		return d.fail(&fs.PathError{Op: "statfs", Path: d.root, Err: err}, d.root)
	}
	if vol.ReadOnly {
		return d.fail(&fs.PathError{Op: "statfs", Path: d.root, Err: syscall.EROFS}, d.root)
	}
	if need := total + Margin(total, len(files), vol.Block); vol.Free < need {
		return &NoSpaceError{Dir: d.root, Need: need, Free: vol.Free}
	}
	if vol.FAT {
		for i, f := range files {
			if sizes[i] > fat32Max {
				return fmt.Errorf("%q is %s, too large for %s: a FAT32 USB stick holds at most 4 GB per file", f.Name, Size(sizes[i]), d.root)
			}
		}
	}
	return nil
}

// finalPaths returns the files' paths in the folder, refusing a name that
// a folder has there.
func (d *delivery) finalPaths(files []File) ([]string, error) {
	finals := make([]string, len(files))
	for i, f := range files {
		finals[i] = filepath.Join(d.dir, f.Name)
		if fi, err := os.Lstat(finals[i]); err == nil && fi.IsDir() {
			return nil, &Error{Text: fmt.Sprintf("cannot write %q: there is a folder of that name in %s", f.Name, d.dir), Path: finals[i], Err: syscall.EISDIR}
		}
	}
	return finals, nil
}

// writeAll writes every file under its temporary name and returns those
// paths and the SHA-256 of what was copied.
func (d *delivery) writeAll(files []File, sizes []int64, total int64, progress Progress) (temps []string, sums [][]byte, err error) {
	temps = make([]string, len(files))
	sums = make([][]byte, len(files))
	var done int64
	progress(0, total)
	for i, f := range files {
		temps[i] = filepath.Join(d.dir, tempName(f.Name, i))
		sums[i], err = d.write(f, temps[i], sizes[i], &done, total, progress)
		if err != nil {
			return nil, nil, err
		}
	}
	return temps, sums, nil
}

// verifyAll reads every temporary file back and compares it with its
// source.
func (d *delivery) verifyAll(files []File, temps []string, sums [][]byte, sizes []int64) error {
	for i, f := range files {
		if err := d.verify(f.Name, temps[i], sums[i], sizes[i]); err != nil {
			return err
		}
	}
	if err := d.ctx.Err(); err != nil {
		return d.fail(err, "")
	}
	return nil
}

// rename gives each temporary file its final name, noting the ones that
// did not exist before.
func (d *delivery) rename(files []File, temps, finals []string) error {
	for i, f := range files {
		_, lerr := os.Lstat(finals[i])
		existed := lerr == nil
		if err := durable.Rename(temps[i], finals[i]); err != nil {
			return d.fail(err, f.Name)
		}
		if !existed {
			d.created = append(d.created, finals[i])
		}
	}
	return nil
}

// flush puts the folder (and its parent if this call made it) and then the
// whole file system on the drive.
func (d *delivery) flush() error {
	if err := syncDir(d.dir); err != nil {
		return d.fail(err, "")
	}
	if d.madeDir {
		if err := syncDir(d.root); err != nil {
			return d.fail(err, "")
		}
	}
	if err := syncFS(d.root); err != nil {
		return d.fail(err, "")
	}
	return nil
}

// delivery is the state of one Deliver call, for cleaning up.
type delivery struct {
	ctx     context.Context
	root    string // destRoot
	dir     string // destRoot/folder
	rootDev uint64 // st_dev of root when Deliver began
	madeDir bool
	temps   []string // temporary files (some may be renamed already)
	created []string // final files that did not exist before
}

func (d *delivery) makeDir() error {
	if d.dir == filepath.Clean(d.root) {
		return nil
	}
	err := os.Mkdir(d.dir, 0o700)
	if err == nil {
		d.madeDir = true
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		fi, serr := os.Stat(d.dir)
		if serr == nil && fi.IsDir() {
			return nil
		}
		return &Error{Text: fmt.Sprintf("cannot create the folder %s: a file of that name is in the way", d.dir), Path: d.dir, Err: err}
	}
	return d.fail(err, "")
}

// tempName is the hidden name a file is written under until it is verified.
func tempName(name string, i int) string {
	if t := "." + name + ".part"; len(t) <= MaxName {
		return t
	}
	prefix := fmt.Sprintf(".%d-", i)
	return prefix + cutName(name, MaxName-len(prefix)-len(".part")) + ".part"
}

// write copies one file to tmp and returns the SHA-256 of what it copied.
func (d *delivery) write(f File, tmp string, size int64, done *int64, total int64, progress Progress) ([]byte, error) {
	src, err := os.Open(f.Src)
	if err != nil {
		return nil, sourceError(f.Src, err)
	}
	defer src.Close()
	d.temps = append(d.temps, tmp)
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, d.fail(err, f.Name)
	}
	defer out.Close() // after the explicit Close below, a harmless second close
	h := sha256.New()
	buf := make([]byte, chunkSize)
	var n, unsynced int64
	for {
		if err := d.ctx.Err(); err != nil {
			return nil, d.fail(err, f.Name)
		}
		k, rerr := src.Read(buf)
		if k > 0 {
			h.Write(buf[:k])
			if _, err := out.Write(buf[:k]); err != nil {
				return nil, d.fail(err, f.Name)
			}
			n += int64(k)
			unsynced += int64(k)
			*done += int64(k)
			if unsynced >= syncEvery {
				if err := fdatasync(out); err != nil {
					return nil, d.fail(&fs.PathError{Op: "fdatasync", Path: tmp, Err: err}, f.Name)
				}
				unsynced = 0
			}
			progress(*done, total)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, sourceError(f.Src, rerr)
		}
	}
	if n != size {
		return nil, fmt.Errorf("the finished file %s changed while it was being copied (%d bytes instead of %d)", f.Src, n, size)
	}
	if err := out.Sync(); err != nil {
		return nil, d.fail(err, f.Name)
	}
	// The data is on the drive now: drop it from the page cache so that
	// verify reads what the drive returns.
	durable.DropCache(out)
	if err := out.Close(); err != nil {
		return nil, d.fail(err, f.Name)
	}
	return h.Sum(nil), nil
}

// verify reads tmp back from the drive and compares it with the source's
// checksum.
func (d *delivery) verify(name, tmp string, want []byte, size int64) error {
	f, err := os.Open(tmp)
	if err != nil {
		return d.fail(err, name)
	}
	defer f.Close()
	durable.DropCache(f)
	h := sha256.New()
	buf := make([]byte, chunkSize)
	var n int64
	for {
		if err := d.ctx.Err(); err != nil {
			return d.fail(err, name)
		}
		k, rerr := f.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return d.fail(rerr, name)
		}
	}
	if n != size || !bytes.Equal(h.Sum(nil), want) {
		return &Error{
			Text: fmt.Sprintf("%q was not copied correctly to %s: the copy on the USB stick differs from the original. The stick may be faulty; try another one.", name, d.dir),
			Path: filepath.Join(d.dir, name), Kind: ErrCopyDiffers,
		}
	}
	return nil
}

// gone reports whether the drive is no longer mounted where it was.
func (d *delivery) gone() bool {
	dev, err := volume.Device(d.root)
	return err != nil || dev != d.rootDev
}

// fail turns an error while writing name ("" for the folder or the drive)
// into plain words.
func (d *delivery) fail(err error, name string) error {
	path, what := d.dir, d.dir
	if name != "" {
		path, what = filepath.Join(d.dir, name), fmt.Sprintf("%q", name)
	}
	e := &Error{Path: path, Err: err}
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		e.Text = fmt.Sprintf("copying to %s was cancelled", d.dir)
		if errors.Is(err, context.DeadlineExceeded) {
			e.Text = fmt.Sprintf("copying to %s took too long and was stopped", d.dir)
		}
	case d.rootDev != 0 && d.gone(),
		fserr.IsRemoved(err):
		e.Kind = ErrRemoved
		e.Text = fmt.Sprintf("%s was removed while writing", d.root)
		if name != "" {
			e.Text += " " + what
		}
	case fserr.IsReadOnly(err):
		e.Kind = ErrWriteProtected
		e.Text = fmt.Sprintf("%s is write-protected: nothing can be saved on it", d.root)
	case fserr.IsDiskFull(err):
		e.Text = fmt.Sprintf("cannot write %s: %s is full", what, d.root)
	case fserr.IsIOError(err):
		e.Text = fmt.Sprintf("cannot write %s: the USB stick reported a read/write error (it may be faulty, or was removed while writing)", what)
	case errors.Is(err, fs.ErrPermission):
		e.Text = fmt.Sprintf("cannot write %s: Sangstudio is not allowed to write to %s", what, d.root)
	case fserr.IsTooLarge(err):
		e.Text = fmt.Sprintf("cannot write %s: the file is too large for %s", what, d.root)
	case fserr.IsBadName(err):
		e.Text = fmt.Sprintf("cannot write %s: %s does not accept that name", what, d.root)
	default:
		e.Text = fmt.Sprintf("cannot write %s: %v", what, err)
	}
	return e
}

// cleanup removes what this call put on the drive; best effort (the drive
// may be gone).
func (d *delivery) cleanup() {
	for _, p := range d.created {
		os.Remove(p)
	}
	for _, p := range d.temps {
		os.Remove(p)
	}
	if d.madeDir {
		os.Remove(d.dir)
	} else if len(d.created)+len(d.temps) > 0 {
		syncDir(d.dir)
	}
	if d.rootDev != 0 && !d.gone() {
		syncDir(d.root)
		syncFS(d.root)
	}
}

func sourceError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot read the finished file %s: it does not exist: %w", path, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot read the finished file %s: permission denied: %w", path, err)
	}
	return fmt.Errorf("cannot read the finished file %s: %w", path, err)
}

// ignorable reports errors of fsync-like calls that mean "not supported".
func ignorable(err error) bool { return fserr.IsNotSupported(err) }

func fdatasync(f *os.File) error {
	if err := durable.DataSync(f); err != nil && !ignorable(err) {
		return err
	}
	return nil
}

// syncDir fsyncs a folder so the names in it are on the drive
// (durable.SyncDir), on a drive whose file system cannot do it too.
func syncDir(dir string) error {
	if err := durable.SyncDir(dir); err != nil && !ignorable(err) {
		return err
	}
	return nil
}

// syncFS flushes the whole file system of path (FAT keeps its allocation
// table and directory entries apart from the files).
func syncFS(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := durable.SyncFS(f); err != nil && !ignorable(err) {
		return &fs.PathError{Op: "syncfs", Path: path, Err: err}
	}
	return nil
}
