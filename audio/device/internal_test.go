package device

import (
	"errors"
	"strings"
	"testing"

	"github.com/gordonklaus/portaudio"
)

func TestMakeIDs(t *testing.T) {
	devs := []Info{
		{Name: "USB Audio", HostAPI: "ALSA"},
		{Name: "default", HostAPI: "ALSA"},
		{Name: "USB Audio", HostAPI: "ALSA"},
		{Name: "USB Audio", HostAPI: "OSS"},
	}
	makeIDs(devs)
	want := []string{"ALSA/USB Audio#1", "ALSA/default#1", "ALSA/USB Audio#2", "OSS/USB Audio#1"}
	for i, d := range devs {
		if d.ID != want[i] {
			t.Errorf("device %d: ID %q, want %q", i, d.ID, want[i])
		}
	}
}

// testList is a machine with JACK, two USB interfaces of the same name, and
// ALSA's bridge to JACK.
func testList() []Info {
	devs := []Info{
		{Name: "system", HostAPI: "JACK Audio Connection Kit", Inputs: 8, Outputs: 8, Default: true},
		{Name: "fluidsynth", HostAPI: "JACK Audio Connection Kit", Inputs: 2},
		{Name: "Scarlett 2i2 USB: Audio (hw:1,0)", HostAPI: "ALSA", Inputs: 2, Outputs: 2},
		{Name: "Scarlett 2i2 USB: Audio (hw:1,0)", HostAPI: "ALSA", Inputs: 2, Outputs: 2},
		{Name: "HDA Intel PCH: ALC892 Analog (hw:0,0)", HostAPI: "ALSA", Inputs: 2, Outputs: 8},
		{Name: "jack", HostAPI: "ALSA", Inputs: 2, Outputs: 2},
		{Name: "default", HostAPI: "ALSA", Inputs: 32, Outputs: 32},
	}
	makeIDs(devs)
	return append([]Info{virtualInfo()}, devs...)
}

func TestFind(t *testing.T) {
	list := testList()
	for _, c := range []struct{ query, id string }{
		{"virtual", "virtual"},
		{"VIRTUAL", "virtual"},
		{"hardware", "virtual"},
		{"jack", "JACK Audio Connection Kit/system#1"}, // the host API, not ALSA's "jack" device
		{"JACK Audio Connection Kit", "JACK Audio Connection Kit/system#1"},
		{"system", "JACK Audio Connection Kit/system#1"},
		{"fluid", "JACK Audio Connection Kit/fluidsynth#1"},
		{"ALSA/jack#1", "ALSA/jack#1"},
		{"alsa/jack#1", "ALSA/jack#1"},
		{"Default", "ALSA/default#1"},
		{"intel", "ALSA/HDA Intel PCH: ALC892 Analog (hw:0,0)#1"},
		{"hw:0", "ALSA/HDA Intel PCH: ALC892 Analog (hw:0,0)#1"},
		{"scarlett 2i2 usb: audio (hw:1,0)#2", "ALSA/Scarlett 2i2 USB: Audio (hw:1,0)#2"},
		{" #2 ", "ALSA/Scarlett 2i2 USB: Audio (hw:1,0)#2"},
	} {
		d, err := find(list, nil, c.query)
		if err != nil || d.ID != c.id {
			t.Errorf("find(%q) = %q, %v; want %q", c.query, d.ID, err, c.id)
		}
	}
	for _, c := range []struct {
		query string
		kind  error
		want  string
	}{
		{"foo", ErrNotFound, `no device matches "foo"; the devices are: "Virtual device (no audio hardware)" (id "virtual"), "system" (JACK, 8 inputs, 8 outputs; id "JACK Audio Connection Kit/system#1"), "fluidsynth" (JACK, 2 inputs, no outputs; id "JACK Audio Connection Kit/fluidsynth#1"), `},
		{"", ErrNotFound, `no device was given; the devices are: "Virtual device (no audio hardware)"`},
		{"usb", ErrAmbiguous, `"usb" matches 2 devices: "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA, 2 inputs, 2 outputs; id "ALSA/Scarlett 2i2 USB: Audio (hw:1,0)#1"), "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA, 2 inputs, 2 outputs; id "ALSA/Scarlett 2i2 USB: Audio (hw:1,0)#2"); type more of the name, or the whole id`},
		{"alsa", ErrAmbiguous, `"alsa" matches 5 devices: `},
	} {
		_, err := find(list, nil, c.query)
		if !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("find(%q):\ngot  %v\nwant %s (wrapping %v)", c.query, err, c.want, c.kind)
		}
	}
	// PipeWire's JACK (pw-jack): "system" only plays, the sink's monitor and
	// the source are devices of their own, none is the default (ALSA's
	// "default" is): "jack" still means "system".
	pw := []Info{virtualInfo(),
		{Name: "system", HostAPI: jackHostAPI, Outputs: 4},
		{Name: "Built-in Audio Analog Stereo", HostAPI: jackHostAPI, Inputs: 2},
		{Name: "Built-in Audio Analog Stereo", HostAPI: jackHostAPI, Inputs: 2},
		{Name: "pipewire", HostAPI: "ALSA", Inputs: 64, Outputs: 64},
		{Name: "default", HostAPI: "ALSA", Inputs: 64, Outputs: 64, Default: true},
	}
	makeIDs(pw[1:])
	if d, err := find(pw, nil, "jack"); err != nil || d.ID != "JACK Audio Connection Kit/system#1" {
		t.Errorf("find(jack) under pw-jack = %q, %v; want JACK's system", d.ID, err)
	}
	// Without PortAudio, the reason is part of the message.
	why := newError(ErrDeviceLost, nil, "the audio device \"USB\" (ALSA) did not respond (stopping took over 5s); restart Sangstudio to use the audio devices again")
	_, err := find(list[:1], why, "jack")
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrDeviceLost) || !strings.Contains(err.Error(), "restart Sangstudio") {
		t.Errorf("find without PortAudio: %v", err)
	}
}

func TestCheckChannels(t *testing.T) {
	usb := Info{Name: "USB Mic", HostAPI: "ALSA", Inputs: 1}
	out := Info{Name: "HDMI", HostAPI: "ALSA", Outputs: 8}
	for _, c := range []struct {
		d    Info
		cfg  Config
		want string
	}{
		{usb, Config{Inputs: 1, Outputs: 2}, `the audio device "USB Mic" (ALSA) has no outputs: it can only record, not play`},
		{out, Config{Inputs: 2, Outputs: 2}, `the audio device "HDMI" (ALSA) has no inputs: it can only play, not record`},
		{out, Config{Outputs: 9}, `the audio device "HDMI" (ALSA) has 8 outputs; 9 were asked for`},
		{Info{Name: "x", HostAPI: "ALSA", Inputs: 1, Outputs: 1}, Config{Inputs: 2, Outputs: 1}, `the audio device "x" (ALSA) has 1 input; 2 were asked for`},
		{out, Config{Inputs: -1, Outputs: 2}, `channel counts cannot be negative (inputs -1, outputs 2)`},
	} {
		err := checkChannels(c.d, c.cfg)
		if !errors.Is(err, ErrChannels) || err.Error() != c.want {
			t.Errorf("checkChannels(%s, %+v):\ngot  %v\nwant %s", c.d.Name, c.cfg, err, c.want)
		}
	}
	if err := checkChannels(out, Config{Outputs: 2}); err != nil {
		t.Errorf("output only: %v", err)
	}
}

// TestOpenError checks the messages for PortAudio's errors that the test
// machine cannot produce (no busy or unplugged hardware there).
func TestOpenError(t *testing.T) {
	usb := Info{Name: "Scarlett 2i2 USB: Audio (hw:1,0)", HostAPI: "ALSA", Inputs: 2, Outputs: 2, DefaultRate: 44100}
	cfg := Config{Inputs: 2, Outputs: 2, Buffer: 256}
	for _, c := range []struct {
		err  error
		kind error
		want string
	}{
		{portaudio.DeviceUnavailable, ErrDeviceBusy, `the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) is busy or unavailable: another program may be using it; close that program or choose another device`},
		{portaudio.UnanticipatedHostError{HostApiType: portaudio.ALSA, Code: -16, Text: "Device or resource busy"}, ErrDeviceBusy,
			`the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) is busy: another program is using it; close that program or choose another device`},
		{portaudio.UnanticipatedHostError{HostApiType: portaudio.ALSA, Code: -19, Text: "No such device"}, ErrNotFound,
			`the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) is not there any more (was it unplugged?)`},
		{portaudio.InvalidDevice, ErrNotFound, `the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) is not there any more (was it unplugged?)`},
		{portaudio.InvalidSampleRate, ErrUnsupportedRate, `the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) cannot run at 96000 Hz (its own rate is 44100 Hz)`},
		{portaudio.InvalidChannelCount, ErrChannels, `the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) cannot open 2 inputs and 2 outputs`},
		{portaudio.BufferTooSmall, ErrBufferSize, `the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) cannot use buffers of 256 frames`},
		{portaudio.InsufficientMemory, ErrDeviceBusy, `the audio device "Scarlett 2i2 USB: Audio (hw:1,0)" (ALSA) could not be opened (PortAudio says: Insufficient memory)`},
	} {
		err := openError(usb, cfg, 96000, c.err)
		if !errors.Is(err, c.kind) || !errors.Is(err, c.err) || err.Error() != c.want {
			t.Errorf("openError(%v):\ngot  %v\nwant %s", c.err, err, c.want)
		}
	}
}
