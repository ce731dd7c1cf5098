package input

import (
	"errors"
	"strings"
	"testing"
)

func TestPortNames(t *testing.T) {
	for _, c := range []struct {
		api, raw string
		want     Port
	}{
		// RtMidi's ALSA names: "client:port client#:port#".
		{"alsa", "Keystation 49 MK3:Keystation 49 MK3 MIDI 1 20:0",
			Port{"alsa:Keystation 49 MK3 MIDI 1", "Keystation 49 MK3", "alsa"}},
		{"alsa", "Keystation 49 MK3:Keystation 49 MK3 MIDI 2 20:1",
			Port{"alsa:Keystation 49 MK3 MIDI 2", "Keystation 49 MK3 MIDI 2", "alsa"}},
		{"alsa", "Midi Through:Midi Through Port-0 14:0",
			Port{"alsa:Midi Through Port-0", "Midi Through Port-0", "alsa"}},
		{"alsa", "VMPK Output:out 128:0",
			Port{"alsa:VMPK Output:out", "VMPK Output: out", "alsa"}},
		{"alsa", "Digital Piano:Digital Piano 24:0",
			Port{"alsa:Digital Piano", "Digital Piano", "alsa"}},
		// A port name with a colon of its own.
		{"alsa", "FLUID Synth (4242):Synth output (4242:0) 129:0",
			Port{"alsa:FLUID Synth (4242):Synth output (4242:0)", "FLUID Synth (4242): Synth output (4242:0)", "alsa"}},
		// JACK: full port names.
		{"jack", "system:midi_capture_1",
			Port{"jack:system:midi_capture_1", "system:midi_capture_1", "jack"}},
		{"jack", "testkeys:midi_out",
			Port{"jack:testkeys:midi_out", "testkeys:midi_out", "jack"}},
		{"jack", "a2j:Keystation 49 MK3 [20] (capture): Keystation 49 MK3 MIDI 1",
			Port{"jack:a2j:Keystation 49 MK3 (capture): Keystation 49 MK3 MIDI 1", "Keystation 49 MK3", "jack"}},
		{"jack", "Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1",
			Port{"jack:Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1", "Keystation 49 MK3", "jack"}},
	} {
		var got Port
		if c.api == "alsa" {
			got = alsaPort(c.raw)
		} else {
			got = jackPort(c.raw)
		}
		if got != c.want {
			t.Errorf("%s %q:\n got %+v\nwant %+v", c.api, c.raw, got, c.want)
		}
	}
	// The a2j client number changes on re-plug; the ID does not.
	if a, b := jackPort("a2j:K [20] (capture): K MIDI 1"), jackPort("a2j:K [28] (capture): K MIDI 1"); a.ID != b.ID {
		t.Errorf("a2j IDs differ: %q, %q", a.ID, b.ID)
	}
	if a, b := alsaPort("K:K MIDI 1 20:0"), alsaPort("K:K MIDI 1 24:0"); a != b {
		t.Errorf("ALSA ports differ by client number: %+v, %+v", a, b)
	}
}

func TestOwnClient(t *testing.T) {
	for c, want := range map[string]bool{
		"sangstudio": true, "sangstudio-01": true, "sangstudio-list": true, "sangstudio-list-02": true,
		"sangstudio-x": false, "sangstudio2": false, "testkeys": false, "a2j": false,
	} {
		if got := isOwnClient(c, "sangstudio"); got != want {
			t.Errorf("isOwnClient(%q) = %v", c, got)
		}
	}
}

func TestDedupe(t *testing.T) {
	ports := []rawPort{
		{Port: alsaPort("K:K MIDI 1 20:0")},
		{Port: alsaPort("K:K MIDI 1 24:0")},
		{Port: jackPort("Midi-Bridge:K:(capture_0) K MIDI 1")},
		{Port: alsaPort("K:K MIDI 1 28:0")},
	}
	dedupe(ports)
	want := []Port{
		{"alsa:K MIDI 1", "K", "alsa"},
		{"alsa:K MIDI 1 #2", "K #2", "alsa"},
		{"jack:Midi-Bridge:K:(capture_0) K MIDI 1", "K", "jack"}, // names repeat across APIs
		{"alsa:K MIDI 1 #3", "K #3", "alsa"},
	}
	for i, p := range ports {
		if p.Port != want[i] {
			t.Errorf("%d: %+v, want %+v", i, p.Port, want[i])
		}
	}
}

// A desktop: ALSA ports, and JACK (PipeWire) mirroring them.
var desk = []Port{
	alsaPort("Midi Through:Midi Through Port-0 14:0"),
	alsaPort("Keystation 49 MK3:Keystation 49 MK3 MIDI 1 20:0"),
	alsaPort("Digital Piano:Digital Piano MIDI 1 24:0"),
	alsaPort("Digital Piano:Digital Piano MIDI 2 24:1"),
	jackPort("Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1"),
	jackPort("testkeys:midi_out"),
}

func ids(ports []Port) string {
	var s []string
	for _, p := range ports {
		s = append(s, p.ID)
	}
	return strings.Join(s, ", ")
}

func TestFind(t *testing.T) {
	for _, c := range []struct {
		sel  string
		want string // IDs, or the start of the error
	}{
		{"", "alsa:Keystation 49 MK3 MIDI 1, alsa:Digital Piano MIDI 1, alsa:Digital Piano MIDI 2, jack:testkeys:midi_out"},
		{"ALL", "alsa:Keystation 49 MK3 MIDI 1, alsa:Digital Piano MIDI 1, alsa:Digital Piano MIDI 2, jack:testkeys:midi_out"},
		{"alsa:Digital Piano MIDI 2", "alsa:Digital Piano MIDI 2"},                                      // ID
		{" ALSA:digital piano midi 2 ", "alsa:Digital Piano MIDI 2"},                                    // ID, any case
		{"digital piano", "alsa:Digital Piano MIDI 1"},                                                  // name, exactly
		{"Keystation 49 MK3", "alsa:Keystation 49 MK3 MIDI 1"},                                          // name: ALSA over its JACK mirror
		{"keystation", "alsa:Keystation 49 MK3 MIDI 1"},                                                 // part: the same
		{"jack:Midi-Bridge", "jack:Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1"}, // the mirror by name
		{"testkeys", "jack:testkeys:midi_out"},
		{"1", "alsa:Midi Through Port-0"}, // numbers count every port
		{"5", "jack:Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1"},
		{"through", "alsa:Midi Through Port-0"},
		{"piano midi", `error: "piano midi" matches several MIDI inputs: 3 "Digital Piano" (alsa:Digital Piano MIDI 1), 4 "Digital Piano MIDI 2" (alsa:Digital Piano MIDI 2); give`},
		{"7", `error: there is no MIDI input number 7; the MIDI inputs are: 1 "Midi Through Port-0" (alsa:Midi Through Port-0), 2 "Keystation 49 MK3"`},
		{"0", `error: there is no MIDI input number 0;`},
		{"oboe", `error: no MIDI input matches "oboe"; the MIDI inputs are: 1 "Midi Through Port-0" (alsa:Midi Through Port-0), 2 "Keystation 49 MK3" (alsa:Keystation 49 MK3 MIDI 1), 3 "Digital Piano" (alsa:Digital Piano MIDI 1), 4 "Digital Piano MIDI 2" (alsa:Digital Piano MIDI 2), 5 "Keystation 49 MK3" (jack:Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1), 6 "testkeys:midi_out" (jack:testkeys:midi_out)`},
	} {
		got, err := Find(desk, c.sel)
		s := ids(got)
		if err != nil {
			s = "error: " + err.Error()
		}
		if !strings.HasPrefix(s, c.want) || (err == nil && s != c.want) {
			t.Errorf("Find(%q):\n got %s\nwant %s", c.sel, s, c.want)
		}
	}

	// Without ALSA the JACK mirrors are the keyboards.
	jackOnly := []Port{jackPort("system:midi_capture_1"), jackPort("a2j:K [20] (capture): K MIDI 1"), jackPort("testkeys:midi_out")}
	if got, err := Find(jackOnly, "all"); err != nil || len(got) != 3 {
		t.Errorf("Find(JACK only, all) = %s, %v", ids(got), err)
	}
	if got, err := Find(jackOnly, "K"); err != nil || ids(got) != "jack:a2j:K (capture): K MIDI 1" {
		t.Errorf("Find(JACK only, K) = %s, %v", ids(got), err)
	}

	// No ports at all.
	if got, err := Find(nil, ""); err != nil || len(got) != 0 {
		t.Errorf("Find(nil, \"\") = %v, %v", got, err)
	}
	_, err := Find(nil, "keystation")
	var se *selectError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "there are no MIDI inputs") {
		t.Errorf("Find(nil, keystation) = %v", err)
	}
}
