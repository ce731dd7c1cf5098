package explain_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"syscall"
	"time"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/cdburn"
	"sangstudio/audio/cdimage"
	"sangstudio/audio/cdmake"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/importer"
	"sangstudio/audio/restore"
	"sangstudio/audio/session"
	"sangstudio/audio/source"
	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/filelock"
	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
	"sangstudio/midi/beat"
	"sangstudio/midi/input"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
	"sangstudio/projects/album"
	"sangstudio/projects/archive"
	"sangstudio/projects/history"
	"sangstudio/projects/takehome"
	"sangstudio/ui/studio"
)

// example is an error as the window may get it, made the way its package
// makes it, and what Message must say of it (in English).
type example struct {
	name  string   // the exported error it is: "audio/wav.FormatError"
	err   error    //
	facts []string // what the message must hold: a file's name, a count…
	not   []string // what it must not hold (a holder's process, …)
}

// deviceError is as audio/device's errors are: a message in plain English
// naming the device, wrapping one of its Err… kinds and the cause.
type deviceError struct {
	msg         string
	kind, cause error
}

func (e *deviceError) Error() string   { return e.msg }
func (e *deviceError) Unwrap() []error { return []error{e.kind, e.cause} }

// Places as they are on a computer with Sangstudio.
const (
	song    = "/home/anna/Sangstudio/Sommersang"
	songDir = song + "/"
	stick   = "/media/anna/MINNEPENN"
)

func pathErr(op, path string, errno syscall.Errno) error {
	return &fs.PathError{Op: op, Path: path, Err: errno}
}

// examples are one or more errors for each exported error the window may
// show.
func examples() []example {
	exit := errors.New("exit status 1")
	burn := func(text string, kind error) error {
		return &cdburn.Error{Text: text, Tail: []string{"ERROR: Unit not ready, giving up."}, Err: fmt.Errorf("%w: %w", kind, exit)}
	}
	dev := func(kind error, msg string) error {
		return &deviceError{msg: msg, kind: kind, cause: errors.New("PortAudio: Device unavailable")}
	}
	at1432 := time.Date(2026, 11, 25, 14, 32, 0, 0, time.Local)
	missing := &album.TrackError{Track: 3, Dir: "/home/anna/Sangstudio/Vårsang", Err: album.ErrSongMissing}
	return []example{
		// audio/device
		{"audio/device.ErrDeviceLost", dev(device.ErrDeviceLost, `"Scarlett 2i2 USB" stopped: it was disconnected or stopped working`), []string{"stopped", "is kept"}, []string{"Scarlett"}},
		{"audio/device.ErrNotFound", dev(device.ErrNotFound, `there is no audio device "hw:2,0" (was it unplugged?)`), []string{"not found", "settings"}, nil},
		{"audio/device.ErrAmbiguous", dev(device.ErrAmbiguous, `"usb" matches 2 devices: …`), []string{"More than one"}, nil},
		{"audio/device.ErrDeviceBusy", dev(device.ErrDeviceBusy, `"Scarlett 2i2 USB" is busy or unavailable`), []string{"busy", "another program"}, nil},
		{"audio/device.ErrUnsupportedRate", dev(device.ErrUnsupportedRate, `"Scarlett 2i2 USB" cannot run at 96000 Hz (its own rate is 48000 Hz)`), []string{"sample rate"}, nil},
		{"audio/device.ErrChannels", dev(device.ErrChannels, `"HDMI" has no inputs: it can only play, not record`), []string{"inputs or outputs"}, nil},
		{"audio/device.ErrBufferSize", dev(device.ErrBufferSize, "the buffer size must be between 64 and 2048 frames; 4096 is not"), []string{"buffer size"}, nil},
		{"audio/device.ErrConfig", dev(device.ErrConfig, "no callback was given"), []string{"settings"}, []string{"callback"}},
		// audio/engine, audio/session, audio/wav, audio/calibrate
		{"audio/engine.ErrNoTakes", engine.ErrNoTakes, []string{"Nothing was recorded"}, nil},
		{"audio/engine.ErrNothingKept", engine.ErrNothingKept, []string{"nothing to keep"}, nil},
		{"audio/engine.ErrKeptOverwritten", engine.ErrKeptOverwritten, []string{"Keep that", "nothing was kept"}, nil},
		{"audio/session.ErrNothingToKeep", session.ErrNothingToKeep, []string{"nothing to keep"}, nil},
		{"audio/session.UnsavedError", &session.UnsavedError{Takes: 2, Err: fserr.Describe(pathErr("write", songDir+"song.json.tmp-4711", syscall.ENOSPC))}, []string{"(2)", "the disk is full", "Free some space"}, nil},
		{"audio/session.UnsavedError", &session.UnsavedError{Takes: 1, Err: fserr.Describe(pathErr("open", songDir+"song.json.tmp-4711", syscall.EROFS))}, []string{"(1)", "can only be read"}, nil},
		{"audio/session.UnsavedError", &session.UnsavedError{Takes: 3, Err: fserr.Describe(pathErr("open", songDir+"song.json.tmp-4711", syscall.EACCES))}, []string{"(3)", "not allowed"}, nil},
		{"audio/session.UnsavedError", &session.UnsavedError{Takes: 3, Err: fserr.Describe(pathErr("open", songDir+"song.json.tmp-4711", syscall.EIO))}, []string{"(3)", "open the song again"}, nil},
		{"audio/session.UnsavedError", &session.UnsavedError{Takes: 2}, []string{"(2)", "not saved in the song yet"}, nil},
		// audio/session's notes: what a crash recovery or a recording did with a take
		{"audio/session.RecoveredTake", &session.RecoveredTake{File: "0003-Vokal.wav", Track: "Vokal", Started: at1432, Seconds: 12.04}, []string{"14:32", "“Vokal”", "(12 s)", "rescued"}, []string{"0003", "12.0"}},
		{"audio/session.RecoveredTake", &session.RecoveredTake{File: "0003-Vokal.wav", Track: "Vokal", Seconds: 125.4}, []string{"“Vokal”", "(2 min 5 s)", "rescued"}, []string{"0003"}},
		{"audio/session.EmptyTake", &session.EmptyTake{File: "0004-Gitar.wav", Track: "Gitar", Started: at1432}, []string{"“Gitar”", "no sound"}, []string{"0004"}},
		{"audio/session.LostTakeError", &session.LostTakeError{File: "0005-Bass.wav", Track: "Bass", Started: at1432, Err: &wav.FormatError{Path: songDir + "audio/0005-Bass.wav", Reason: "not a RIFF file"}}, []string{"“Bass”", "could not be rescued", "may be damaged", "“0005-Bass.wav”"}, []string{"RIFF"}},
		{"audio/session.LostTakeError", &session.LostTakeError{File: "0005-Bass.wav", Track: "Bass", Err: pathErr("open", songDir+"audio/0005-Bass.wav", syscall.EIO)}, []string{"“Bass”", "could not be rescued", "disk reported an error"}, nil},
		{"audio/session.MovedTake", &session.MovedTake{File: "0006-Kor.wav", Track: "Kor", NewTrack: "Kor", Deleted: true}, []string{"“Kor”", "deleted", "new track", "Nothing recorded is lost"}, []string{"0006"}},
		{"audio/session.MovedTake", &session.MovedTake{File: "0006-Kor.wav", Track: "Kor", NewTrack: "Kor 2"}, []string{"“Kor”", "changed", "“Kor 2”"}, nil},
		{"audio/wav.FormatError", &wav.FormatError{Path: songDir + "audio/0003-Vokal.wav", Reason: "no audio data (data chunk is empty)"}, []string{"“0003-Vokal.wav”", "not a WAV file"}, []string{"chunk"}},
		{"audio/wav.FormatError", &wav.FormatError{Reason: "not a RIFF file"}, []string{"not a WAV file"}, []string{"RIFF"}},
		{"audio/wav.ErrTooLarge", wav.ErrTooLarge, []string{"4 GB", "new take"}, nil},
		{"audio/calibrate.ErrNoClicks", calibrate.ErrNoClicks, []string{"clicks", "cable"}, nil},
		// audio/source, audio/importer, audio/restore
		{"audio/source.TakeError", &source.TakeError{Path: songDir + "audio/0003-Vokal.wav", Err: errors.New("recorded at 44100 Hz but the song is at 48000 Hz")}, []string{"“0003-Vokal.wav”", "cannot be played"}, []string{"44100"}},
		{"audio/source.TakeError", &source.TakeError{Path: songDir + "audio/0003-Vokal.wav", Err: pathErr("open", songDir+"audio/0003-Vokal.wav", syscall.ENOENT)}, []string{"“0003-Vokal.wav”", "was not found"}, nil},
		{"audio/source.SoundFontError", &source.SoundFontError{Path: "/usr/share/sounds/sf2/FluidR3_GM.sf2", Err: fmt.Errorf("SoundFont %q: %w (%v)", "/usr/share/sounds/sf2/FluidR3_GM.sf2", synth.ErrDamaged, errors.New("it ends too early"))}, []string{"“FluidR3_GM.sf2”", "damaged"}, nil},
		{"audio/source.SoundFontError", &source.SoundFontError{Path: "/home/anna/lyd.sf2", Err: fmt.Errorf("SoundFont %q: %w", "/home/anna/lyd.sf2", synth.ErrNotSoundFont)}, []string{"“lyd.sf2”", "not a SoundFont"}, nil},
		{"audio/source.SoundFontError", &source.SoundFontError{Path: "/home/anna/lyd.sf2", Err: fmt.Errorf("SoundFont %q: the file does not exist: %w", "/home/anna/lyd.sf2", fs.ErrNotExist)}, []string{"“lyd.sf2”", "was not found"}, nil},
		{"audio/source.SoundFontError", &source.SoundFontError{Path: "/home/anna/lyd.sf2", Err: errors.New("odd")}, []string{"“lyd.sf2”", "cannot be used"}, nil},
		{"audio/importer.FileError", &importer.FileError{Path: "/home/anna/Nedlastinger/Opptak 12.wav", Err: errors.New("it has 6 channels; Sangstudio imports mono and stereo files")}, []string{"“Opptak 12.wav”", "cannot be brought in"}, []string{"Nedlastinger"}},
		{"audio/importer.FileError", &importer.FileError{Path: "/home/anna/rør", Err: &openfile.Error{Path: "/home/anna/rør", Kind: openfile.FIFO}}, []string{"“rør”", "named pipe"}, nil},
		{"audio/importer.FileError", &importer.FileError{Path: "/home/anna/Opptak.wav", Err: fserr.Describe(pathErr("open", "/home/anna/Opptak.wav", syscall.EACCES))}, []string{"“Opptak.wav”", "not allowed"}, nil},
		{"audio/restore.TakeError", &restore.TakeError{Take: "0007-Bass.wav", Err: errors.New("it is at 44100 Hz and the song at 48000 Hz; import it instead (sangstudio import), which converts it")}, []string{"“0007-Bass.wav”", "brought back"}, []string{"sangstudio import"}},
		{"audio/restore.TakeError", &restore.TakeError{Take: "0007-Bass.wav", Err: pathErr("open", songDir+"audio/0007-Bass.wav", syscall.EIO)}, []string{"“0007-Bass.wav”", "disk reported an error"}, nil},
		// audio/cdburn, audio/cdimage, audio/cdmake
		{"audio/cdburn.Error", &cdburn.Error{Text: "The CD writer could not write the song titles (CD-TEXT).", TryWithoutCDText: true, Err: fmt.Errorf("%w: %w", cdburn.ErrFailed, exit)}, []string{"CD-TEXT", "without titles"}, nil},
		{"audio/cdburn.Error", &cdburn.Error{Text: "Burning was stopped.", Err: context.Canceled}, []string{"Stopped"}, nil},
		{"audio/cdburn.Error", &cdburn.Error{Text: "The CD burning program cdrdao could not be started.", Err: &exec.Error{Name: "cdrdao", Err: exec.ErrNotFound}}, []string{"cdrdao", "could not be started"}, nil},
		{"audio/cdburn.ErrNotInstalled", burn("The CD burning program (cdrdao) is not installed.", cdburn.ErrNotInstalled), []string{"cdrdao", "not installed"}, nil},
		{"audio/cdburn.ErrNoDrive", burn("No CD writer was found.", cdburn.ErrNoDrive), []string{"No CD writer"}, nil},
		{"audio/cdburn.ErrPermission", burn("You do not have permission to use the CD writer (/dev/sr0).", cdburn.ErrPermission), []string{"permission"}, []string{"/dev/sr0"}},
		{"audio/cdburn.ErrBusy", burn("The CD writer (/dev/sr0) is being used by another program.", cdburn.ErrBusy), []string{"another program"}, nil},
		{"audio/cdburn.ErrNoDisc", burn("There is no disc in the drive.", cdburn.ErrNoDisc), []string{"no disc", "blank CD-R"}, nil},
		{"audio/cdburn.ErrNotBlank", burn("The disc in the drive is not blank.", cdburn.ErrNotBlank), []string{"not blank"}, nil},
		{"audio/cdburn.ErrTooSmall", burn("The disc is too small: the image needs 81 minutes, the disc holds 74.", cdburn.ErrTooSmall), []string{"too small", "80-minute"}, nil},
		{"audio/cdburn.ErrImage", burn("The disc image is missing. Please make the disc image again.", cdburn.ErrImage), []string{"CD image", "again"}, nil},
		{"audio/cdburn.ErrStalled", burn("The CD writer stopped responding (nothing happened for 3 minutes), so burning was stopped.", cdburn.ErrStalled), []string{"stopped responding"}, nil},
		{"audio/cdburn.ErrTimedOut", burn("Burning took longer than 40 minutes, so it was stopped.", cdburn.ErrTimedOut), []string{"too long"}, nil},
		{"audio/cdburn.ErrFailed", burn("The CD writer refused to write this disc.", cdburn.ErrFailed), []string{"could not write the disc"}, nil},
		{"audio/cdimage.RefusedError", &cdimage.RefusedError{Problems: []cdimage.Problem{{Track: 1, Field: "length", Text: "Track 1 has no audio; a CD track must be at least 4 seconds.", Fatal: true}}}, []string{"CD image cannot be made"}, nil},
		{"audio/cdmake.FatalError", &cdmake.FatalError{Problems: []cdimage.Problem{
			{Field: "tracks", Text: "The disc has 100 songs; a CD can hold at most 99 tracks. Remove 1 of them.", Fatal: true},
			{Field: "length", Text: "The disc lasts 76:00 (minutes:seconds).", Fatal: false},
		}}, []string{"cannot be made", "The disc has 100 songs"}, []string{"76:00"}},
		// projects
		{"projects.ErrOpenInWindow", fmt.Errorf("%s: %w", song, projects.ErrOpenInWindow), []string{"another Sangstudio window"}, nil},
		{"projects.OpenError", &projects.OpenError{Dir: song, Holder: "the Sangstudio window (process 1234)"}, []string{"“Sommersang”", "another Sangstudio window"}, []string{"process", "/home"}},
		{"projects.ErrBusy", fmt.Errorf("song: %w", projects.ErrBusy), []string{"Wait a moment"}, nil},
		{"projects.BusyError", &projects.BusyError{Dir: song, Holder: "sangstudio import (process 99)"}, []string{"“Sommersang”", "Wait a moment"}, []string{"process"}},
		{"projects.ErrChangedElsewhere", errors.Join(fmt.Errorf("%s: %w", songDir+"song.json", projects.ErrChangedElsewhere), fserr.Describe(pathErr("open", songDir+"song.json.window-1", syscall.ENOSPC))), []string{"Another program changed", "open it again"}, nil},
		{"projects.ReadOnlyError", &projects.ReadOnlyError{Dir: song, Err: fserr.Describe(pathErr("open", songDir+".open", syscall.EROFS))}, []string{"“Sommersang”", "the disk can only be read", "open the copy"}, nil},
		{"projects.ReadOnlyError", &projects.ReadOnlyError{Dir: song, Err: errors.New("odd")}, []string{"“Sommersang”", "open the copy"}, nil},
		{"projects.TooLongError", &projects.TooLongError{Length: 7 * 3600 * 48000, Rate: 48000,
			Last:    projects.ClipAt{Track: 2, TrackName: "Vokal", Clip: 3, Take: "0004-Vokal.wav", Position: 7*3600*48000 - 48000, End: 7 * 3600 * 48000},
			Outlier: &projects.Outlier{ClipAt: projects.ClipAt{Track: 2, TrackName: "Vokal", Clip: 3, Position: 7*3600*48000 - 48000}, RestEnd: 3 * 60 * 48000, Rate: 48000}},
			[]string{"7:00:00", "clip 3 on track 2", "“Vokal”", "6:59:59", "3:00", "6 hours"}, nil},
		{"projects.TooLongError", &projects.TooLongError{Length: 8 * 3600 * 44100, Rate: 44100,
			Last: projects.ClipAt{Track: 1, TrackName: "Piano", Clip: 1, End: 8 * 3600 * 44100}},
			[]string{"8:00:00", "clip 1 on track 1", "“Piano”", "several songs"}, nil},
		{"projects.SongFileError", &projects.SongFileError{Path: songDir + "audio/0002-Gitar.wav", Kind: openfile.Link}, []string{"“0002-Gitar.wav”", "link"}, nil},
		{"projects.SongFileError", &projects.SongFileError{Path: songDir + "song.json", Kind: openfile.FIFO}, []string{"“song.json”", "named pipe"}, nil},
		{"projects.ErrNotASong", &projects.LoadError{What: "song", Path: song, Err: projects.ErrNotASong}, []string{"“Sommersang”", "holds no song"}, nil},
		{"projects.ErrNotASong", fmt.Errorf("%s: %w", song, projects.ErrNotASong), []string{"holds no song"}, nil},
		{"projects.LoadError", &projects.LoadError{What: "song", Path: songDir + "song.json", Err: errors.New("not valid song data at line 3: invalid character, and no earlier copy could be opened")}, []string{"“Sommersang”", "no earlier copy"}, []string{"line 3"}},
		{"projects.LoadError", &projects.LoadError{What: "song", Path: songDir + "song.json", Err: pathErr("open", songDir+"song.json", syscall.EACCES)}, []string{"“Sommersang”", "not allowed"}, nil},
		{"projects.SchemaError", &projects.LoadError{What: "song", Path: songDir + "song.json", Err: &projects.SchemaError{Version: projects.Schema + 1}}, []string{"newer Sangstudio"}, nil},
		{"projects.SchemaError", &projects.LoadError{What: "song", Path: songDir + "song.json", Err: &projects.SchemaError{Version: 0}}, []string{"“Sommersang”", "version (0)"}, nil},
		{"projects.SchemaError", &projects.SchemaError{Version: 0}, []string{"version (0)"}, nil},
		{"projects.MissingTakesError", &projects.LoadError{What: "song", Path: songDir + "song.json", Err: &projects.MissingTakesError{Files: []string{"audio/0001-Vokal.wav", "audio/0002-Gitar.wav"}}}, []string{"2 recordings", "0001-Vokal.wav, 0002-Gitar.wav"}, []string{"audio/"}},
		{"projects.MissingTakesError", &projects.MissingTakesError{Files: []string{"audio/0001-Vokal.wav"}}, []string{"“0001-Vokal.wav”", "missing"}, []string{"audio/"}},
		{"projects.TextError", projects.CheckName(projects.FieldTitle, "Vår\x1bsang"), []string{"control character", "4"}, nil},
		{"projects.UTF8Error", &projects.UTF8Error{Offset: 120, Line: 7}, []string{"line 7"}, []string{"121"}},
		{"projects.ValidationError", &projects.ValidationError{Problems: []string{"the title is longer than 200 bytes"}}, []string{"cannot be saved"}, []string{"200 bytes"}},
		// projects/album
		{"projects/album.ValidationError", &album.ValidationError{What: "album", Problems: []string{"the album has 120 tracks; a CD holds at most 99"}}, []string{"cannot be saved", "99"}, nil},
		{"projects/album.SchemaError", &album.LoadError{What: "album", Path: "/home/anna/Sangstudio/Min CD/album.json", Err: &album.SchemaError{Version: album.Schema + 1}}, []string{"newer Sangstudio"}, nil},
		{"projects/album.SchemaError", &album.LoadError{What: "album", Path: "/home/anna/Sangstudio/Min CD/album.json", Err: &album.SchemaError{Version: 0}}, []string{"“Min CD”", "version (0)"}, nil},
		{"projects/album.SchemaError", &album.SchemaError{Version: 0}, []string{"version (0)"}, nil},
		{"projects/album.TrackError", missing, []string{"Track 3", "“Vårsang”", "missing"}, []string{"/home"}},
		{"projects/album.TrackError", &album.TrackError{Track: 2, Dir: song, Err: fmt.Errorf("the song cannot be opened: %w", errors.New("not valid song data"))}, []string{"Track 2", "“Sommersang”", "cannot be opened"}, []string{"not valid"}},
		{"projects/album.TrackError", &album.TrackError{Track: 2, Dir: song, Err: fmt.Errorf("the song was saved by a newer Sangstudio: %w", &projects.LoadError{What: "song", Path: songDir + "song.json", Err: &projects.SchemaError{Version: 9}})}, []string{"Track 2", "newer Sangstudio"}, nil},
		{"projects/album.TrackError", &album.TrackError{Track: 2, Dir: song, Err: fmt.Errorf("some of the song's recordings are missing: %w", &projects.MissingTakesError{Files: []string{"audio/0001-Vokal.wav"}})}, []string{"Track 2", "“0001-Vokal.wav”"}, nil},
		{"projects/album.ResolveError", &album.ResolveError{Tracks: []*album.TrackError{missing, {Track: 5, Dir: song, Err: album.ErrNotASong}}}, []string{"2 songs", "Track 3", "“Vårsang”"}, nil},
		{"projects/album.ResolveError", &album.ResolveError{Tracks: []*album.TrackError{missing}}, []string{"Track 3", "“Vårsang”"}, nil},
		{"projects/album.ErrSongMissing", album.ErrSongMissing, []string{"song folder is missing"}, nil},
		{"projects/album.ErrNotASong", &album.TrackError{Track: 5, Dir: song, Err: album.ErrNotASong}, []string{"Track 5", "“Sommersang”", "holds no song"}, nil},
		{"projects/album.ErrNoSong", &album.TrackError{Track: 4, Dir: "no folder", Err: album.ErrNoSong}, []string{"Track 4", "no song folder"}, []string{"“no folder”"}},
		{"projects/album.ErrNotAnAlbum", &album.LoadError{What: "album", Path: "/home/anna/Sangstudio/Min CD", Err: album.ErrNotAnAlbum}, []string{"“Min CD”", "holds no CD"}, nil},
		{"projects/album.LoadError", &album.LoadError{What: "album", Path: "/home/anna/Sangstudio/Min CD/album.json", Err: errors.New("the file is empty, and no earlier copy could be opened")}, []string{"“Min CD”", "no earlier copy"}, nil},
		// projects/history
		{"projects/history.ErrNothingToUndo", history.ErrNothingToUndo, []string{"nothing to undo"}, nil},
		{"projects/history.ErrNothingToRedo", history.ErrNothingToRedo, []string{"nothing to redo"}, nil},
		{"projects/history.DamagedError", &history.DamagedError{Path: songDir + ".history/history.json", SetAside: songDir + ".history.damaged", Reason: "not valid JSON"}, []string{"“.history.damaged”", "song itself is fine"}, []string{"JSON"}},
		{"projects/history.DamagedError", &history.DamagedError{Path: songDir + ".history/history.json", Reason: "not valid JSON"}, []string{"undo history", "song itself is fine"}, []string{"JSON"}},
		// projects/takehome
		{"projects/takehome.NoSpaceError", &takehome.NoSpaceError{Dir: stick + "/Sommersang", Need: 45_300_000, Free: 12_900_000}, []string{"46 MB", "12 MB"}, nil},
		{"projects/takehome.ErrWriteProtected", &takehome.Error{Text: stick + " is write-protected: nothing can be saved on it", Path: stick, Kind: takehome.ErrWriteProtected, Err: pathErr("statfs", stick, syscall.EROFS)}, []string{"write-protected", "switch"}, nil},
		{"projects/takehome.ErrRemoved", &takehome.Error{Text: stick + " was removed while writing", Path: stick + "/Sommersang", Kind: takehome.ErrRemoved, Err: syscall.ENODEV}, []string{"removed"}, nil},
		{"projects/takehome.ErrCopyDiffers", &takehome.Error{Text: `"Sommersang.mp3" was not copied correctly to ` + stick + "/Sommersang: the copy on the USB stick differs from the original. The stick may be faulty; try another one.", Path: stick + "/Sommersang/Sommersang.mp3", Kind: takehome.ErrCopyDiffers}, []string{"“Sommersang.mp3”", "differs"}, nil},
		{"projects/takehome.ErrCopyDiffers", takehome.ErrCopyDiffers, []string{"A file", "differs"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommersang.wav": ` + stick + " is full", Path: stick + "/Sommersang/Sommersang.wav", Err: syscall.ENOSPC}, []string{"“Sommersang.wav”", "full"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommersang.wav": the USB stick reported a read/write error (it may be faulty, or was removed while writing)`, Path: stick + "/Sommersang/Sommersang.wav", Err: syscall.EIO}, []string{"“Sommersang.wav”", "faulty"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommersang.wav": Sangstudio is not allowed to write to ` + stick, Path: stick + "/Sommersang/Sommersang.wav", Err: syscall.EACCES}, []string{"“Sommersang.wav”", "not allowed"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommersang.wav": the file is too large for ` + stick, Path: stick + "/Sommersang/Sommersang.wav", Err: syscall.EFBIG}, []string{"“Sommersang.wav”", "4 GB"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommer:sang.wav": ` + stick + " does not accept that name", Path: stick + "/Sommersang/Sommer:sang.wav", Err: syscall.EINVAL}, []string{"“Sommer:sang.wav”", "name"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommersang.mp3": there is a folder of that name in ` + stick + "/Sommersang", Path: stick + "/Sommersang/Sommersang.mp3", Err: syscall.EISDIR}, []string{"“Sommersang.mp3”", "in the way"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: "copying was cancelled", Path: stick, Err: context.Canceled}, []string{"Stopped", "Nothing was left"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: "copying to " + stick + " took too long and was stopped", Path: stick, Err: context.DeadlineExceeded}, []string{"too long", "Nothing was left"}, nil},
		{"projects/takehome.Error", &takehome.Error{Text: `cannot write "Sommersang.mp3": odd`, Path: stick + "/Sommersang/Sommersang.mp3", Err: errors.New("odd")}, []string{"“Sommersang.mp3”", "could not be copied"}, nil},
		// projects/archive
		{"projects/archive.Error", &archive.Error{Archive: "/home/anna/Nedlastinger/Sommersang.zip", Entry: "Sommersang/../../etc/passwd", Err: errors.New("it is not inside the archive's one folder")}, []string{"“Sommersang.zip”", "“Sommersang/../../etc/passwd”"}, nil},
		{"projects/archive.Error", &archive.Error{Archive: "/home/anna/Nedlastinger/Sommersang.zip", Err: errors.New("it is empty")}, []string{"“Sommersang.zip”", "cannot be brought in"}, nil},
		{"projects/archive.Error", &archive.Error{Archive: "/home/anna/Nedlastinger/Sommersang.zip", Err: pathErr("open", "/home/anna/Nedlastinger/Sommersang.zip", syscall.ENOENT)}, []string{"“Sommersang.zip”", "was not found"}, nil},
		{"projects/archive.Error", &archive.Error{Err: errors.New("it is empty")}, []string{"song archive cannot be brought in"}, nil},
		// midi
		{"midi/input.ErrNoMIDI", fmt.Errorf("%w (ALSA: no sequencer; JACK: not running)", input.ErrNoMIDI), []string{"No MIDI keyboard"}, []string{"ALSA"}},
		{"midi/smf.ErrNoNotes", fmt.Errorf("%s: %w", "/home/anna/sang.mid", smf.ErrNoNotes), []string{"no notes"}, nil},
		{"midi/beat.ErrNoNotes", fmt.Errorf("track %d (%q): %w", 3, "Beat", beat.ErrNoNotes), []string{"plays no notes"}, []string{"track 3"}},
		{"midi/synth.ErrNotSoundFont", fmt.Errorf("SoundFont %q: %w", "/home/anna/lyd.sf2", synth.ErrNotSoundFont), []string{"not a SoundFont"}, nil},
		{"midi/synth.ErrDamaged", fmt.Errorf("SoundFont %q: %w (%v)", "/home/anna/lyd.sf2", synth.ErrDamaged, errors.New("it ends too early")), []string{"damaged"}, nil},
		// ui/studio
		{"ui/studio.ErrNothingArmed", studio.ErrNothingArmed, []string{"No track is ready to record"}, nil},
		{"ui/studio.ErrNotAttached", studio.ErrNotAttached, []string{"not open yet"}, nil},
		{"ui/studio.ErrDeviceLost", studio.ErrDeviceLost, []string{"as soon as it is back"}, nil},
		{"ui/studio.ErrOpenElsewhere", studio.ErrOpenElsewhere, []string{"another Sangstudio window"}, nil},
		{"ui/studio.ErrBusy", studio.ErrBusy, []string{"wait a moment"}, nil},
		{"ui/studio.ErrResident", studio.ErrResident, []string{"resident mode", "hold its button"}, nil},
		{"ui/studio.NoInputsError", &studio.NoInputsError{Device: "USB Audio CODEC", Fallback: "busy"}, []string{"“USB Audio CODEC”", "no inputs", "settings"}, []string{"busy"}},
		{"ui/studio.InputError", &studio.InputError{Track: "Vokal", Input: 3, Inputs: 2, Device: "USB Audio CODEC"}, []string{"“Vokal”", "input 3", "2 inputs"}, nil},
		{"ui/studio.ErrSavedAside", fmt.Errorf("%w: nothing was written over it; the changes made here are kept in %s. Close the song and open it again to see the other version", studio.ErrSavedAside, "song.json.window-20250102-1304"), []string{"Another program changed", "copy"}, nil},
		{"ui/studio.LogError", studio.LogError{Err: fserr.Describe(pathErr("open", songDir+"log.jsonl", syscall.ENOSPC))}, []string{"log", "the disk is full", "song itself is fine"}, nil},
		{"ui/studio.LogError", studio.LogError{Err: errors.New("odd")}, []string{"log", "could not be updated"}, nil},
		{"ui/studio.LogError", &studio.LogError{Damaged: 3}, []string{"damaged", "song itself is fine"}, nil},
		// internal
		{"internal/filelock.ErrBusy", fmt.Errorf("library: %w", filelock.ErrBusy), []string{"in use by another program"}, nil},
		{"internal/filelock.BusyError", &filelock.BusyError{Path: "/home/anna/Sangstudio/.lock", Holder: "the song library (process 12)"}, []string{"“Sangstudio”", "in use"}, []string{"process"}},
		{"internal/fserr.Error", fserr.Describe(pathErr("open", songDir+"audio/0001-Vokal.wav", syscall.EACCES)), []string{"“0001-Vokal.wav”", "not allowed"}, nil},
		{"internal/fserr.Error", fserr.Describe(pathErr("write", songDir+"song.json.tmp-1", syscall.ENOSPC)), []string{"“Sommersang”", "disk is full"}, nil},
		{"internal/fserr.Error", fserr.Describe(pathErr("write", songDir+"exports/Sommersang.wav", syscall.EROFS)), []string{"“Sommersang.wav”", "read-only"}, nil},
		{"internal/fserr.Error", fserr.Describe(pathErr("read", songDir+"audio/0001-Vokal.wav", syscall.EIO)), []string{"“0001-Vokal.wav”", "disk reported an error"}, nil},
		{"internal/fserr.Error", fserr.Describe(pathErr("stat", songDir+"audio/0001-Vokal.wav", syscall.ENOENT)), []string{"“0001-Vokal.wav”", "was not found"}, nil},
		{"internal/durable.Recovery", &durable.Recovery{File: "song.json", From: "song.json.1", SavedAt: at1432, Reason: "not valid JSON"}, []string{"song's file was damaged", "on 2026-11-25 at 14:32", "may be missing"}, []string{"JSON", "song.json"}},
		{"internal/durable.Recovery", &durable.Recovery{File: "album.json", From: "album.json.2", Reason: "the file is missing"}, []string{"album's file was damaged", "saved earlier"}, []string{"album.json"}},
		{"internal/fserr.Error", fmt.Errorf("export: %w", fserr.Describe(syscall.ENOSPC)), []string{"The disk is full"}, nil},
		{"internal/openfile.ErrNotRegular", fmt.Errorf("SoundFont: %w", openfile.ErrNotRegular), []string{"not an ordinary file"}, nil},
		{"internal/openfile.Error", &openfile.Error{Path: "/dev/zero", Kind: openfile.Device}, []string{"“zero”", "a device"}, nil},
		{"internal/openfile.Error", &openfile.Error{Path: "/home/anna/Sangstudio", Kind: openfile.Folder}, []string{"“Sangstudio”", "a folder"}, nil},
	}
}
