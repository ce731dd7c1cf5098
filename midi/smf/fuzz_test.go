package smf

import (
	"bytes"
	"testing"
	"time"

	"sangstudio/internal/fuzzcheck"
	"sangstudio/midi"
)

// checkEvents checks events are valid channel voice messages sorted by frame.
func checkEvents(t *testing.T, what string, events []midi.Event) {
	t.Helper()
	for i, e := range events {
		if _, ok := midi.FromBytes(e.Frame, e.Msg[:e.Len()]); !ok || e.Frame < 0 {
			t.Fatalf("%s: event %d is invalid: %v", what, i, e)
		}
		if i > 0 && e.Frame < events[i-1].Frame {
			t.Fatalf("%s: event %d (%v) before event %d (%v)", what, i, e, i-1, events[i-1])
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, b := range fixtures {
		f.Add(b)
	}
	var buf bytes.Buffer
	if err := Write(&buf, testEvents()[:40], rate, 97.3, [2]int{4, 4}, "take"); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())

	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		var file *File
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 1 << 20, PerByte: 256}, func() { file, err = Read(bytes.NewReader(data), "fuzz.mid", rate) })
		if took := time.Since(start); took > 2*time.Second {
			t.Fatalf("Read took %v", took)
		}
		if err != nil {
			if len(err.Error()) < len("fuzz.mid: ") || err.Error()[:10] != "fuzz.mid: " {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(file.Channels) == 0 {
			t.Fatal("no channels and no error")
		}
		last := int64(0)
		for i, c := range file.Channels {
			if i > 0 && c.Channel <= file.Channels[i-1].Channel || c.Channel < 0 || c.Channel > 15 {
				t.Fatalf("channels out of order: %d", c.Channel)
			}
			checkEvents(t, "channel", c.Events)
			for _, e := range c.Events {
				if e.Channel() != c.Channel {
					t.Fatalf("event %v in channel %d", e, c.Channel)
				}
			}
			last = max(last, c.Events[len(c.Events)-1].Frame)
		}
		if file.Frames < last {
			t.Fatalf("Frames %d before the last event at %d", file.Frames, last)
		}

		s, err := decode(data, rate) // what ReadEvents returns
		if err != nil {
			t.Fatalf("Read succeeded, decode failed: %v", err)
		}
		all := make([]midi.Event, len(s.events))
		for i, e := range s.events {
			all[i] = e.Event
		}
		checkEvents(t, "all", all)
	})
}
