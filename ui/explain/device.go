package explain

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/device"
)

// The audio device (sangstudio/audio/device). Its errors are unexported
// values that name the device in English; they wrap one of the exported
// kinds, which are said here without the device's name.

// devices says what is wrong with the audio device.
func devices(err error) (string, bool) {
	switch {
	case errors.Is(err, device.ErrDeviceLost):
		return lang.L("The audio device stopped (it may have been unplugged, or its sound system stopped). Sangstudio will use it again as soon as it is back; what was recorded is kept."), true
	case errors.Is(err, device.ErrNotFound):
		return lang.L("The audio device was not found. Check that it is plugged in and switched on, or choose another one in the settings."), true
	case errors.Is(err, device.ErrAmbiguous):
		return lang.L("More than one audio device has that name. Choose the device in the settings."), true
	case errors.Is(err, device.ErrDeviceBusy):
		return lang.L("The audio device is busy: another program may be using it. Close that program, or choose another device in the settings."), true
	case errors.Is(err, device.ErrUnsupportedRate):
		return lang.L("The audio device cannot run at this song's sample rate. Choose another device in the settings."), true
	case errors.Is(err, device.ErrChannels):
		return lang.L("The audio device does not have the inputs or outputs needed. Choose another device in the settings, or another input for the track."), true
	case errors.Is(err, device.ErrBufferSize):
		return lang.L("The audio device does not accept this buffer size. Choose another buffer size in the settings."), true
	case errors.Is(err, device.ErrConfig):
		return lang.L("The sound could not be started: the audio settings are not right. Check the settings, or restart Sangstudio."), true
	}
	return "", false
}
