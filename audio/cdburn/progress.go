package cdburn

import (
	"regexp"
	"strconv"
	"strings"
)

// Stages of a burn, as Progress.Stage.
const (
	StageStarting = "Starting" // settings, power calibration
	StageLeadIn   = "Lead-in"  // the lead-in (and the CD-TEXT in it) and the first pause
	StageWriting  = "Writing"  // the music
	StageLeadOut  = "Lead-out" // the lead-out
	StageFlushing = "Flushing" // the drive empties its buffer and closes the disc
	StageDone     = "Done"
)

// Progress is where a burn is.
type Progress struct {
	Stage           string  // one of the Stage constants
	Track           int     // track being written (while Writing), 0 otherwise
	DoneMB, TotalMB int     // MB of music written so far and in all, 0 until known
	Fraction        float64 // 0..1 overall
	Line            string  // the raw line
}

// How the overall fraction is shared out. The lead-in and lead-out are
// about 20 and 15 MB of zeros (cdrdao issue #10: "Wrote 15 of 15 MB."
// after "Writing lead-out..."), the music usually 300–800 MB.
const (
	fracSetup    = 0.01
	fracLeadIn   = 0.02
	fracWriting  = 0.05
	fracLeadOut  = 0.95
	fracFlushing = 0.98
)

var (
	reTrack  = regexp.MustCompile(`^Writing track (\d+)`)
	reWrote  = regexp.MustCompile(`^Wrote (\d+) of (\d+) MB(.*)$`)
	reBlocks = regexp.MustCompile(`^Wrote \d+ blocks\b`)
)

// Tracker follows cdrdao's write output line by line and keeps the overall
// Fraction monotone. The zero-data "Wrote N of M MB." lines of the lead-in
// and of the lead-out look the same, so only the lines before tell them
// apart. The zero value is ready to use.
type Tracker struct {
	stage           string
	track           int
	doneMB, totalMB int
	frac            float64
}

// ParseProgress parses one line of `cdrdao write` output on its own: it is
// a fresh Tracker's Next. Without the lines before it, a zero-data "Wrote
// N of M MB." line is taken to be the lead-in's. Use a Tracker for a run.
func ParseProgress(line string) (Progress, bool) {
	var t Tracker
	return t.Next(line)
}

// Stage is the stage reached so far ("" before any progress line).
func (t *Tracker) Stage() string { return t.stage }

// Fraction is the overall fraction reached so far.
func (t *Tracker) Fraction() float64 { return t.frac }

// Next takes one line; ok is false for lines that say nothing about
// progress (errors, warnings, the version banner…).
func (t *Tracker) Next(line string) (p Progress, ok bool) {
	s := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(s, "Starting write"),
		strings.HasPrefix(s, "Pausing 10 seconds"),
		strings.HasPrefix(s, "Process can be aborted"):
		t.enter(StageStarting, 0)
	case strings.HasPrefix(s, "Turning BURN-Proof"),
		strings.HasPrefix(s, "Executing power calibration"),
		strings.HasPrefix(s, "Power calibration successful"),
		strings.HasPrefix(s, "Power calibration not supported"),
		strings.HasPrefix(s, "Enabling JustLink"),
		strings.HasPrefix(s, "Using 16 byte"),
		strings.HasPrefix(s, "Using 96 byte"):
		t.enter(StageStarting, fracSetup)
	case strings.HasPrefix(s, "Writing lead-in"), // "… and gap..." (generic-mmc-raw)
		strings.HasPrefix(s, "Writing CD-TEXT lead-in"): // generic-mmc
		t.enter(StageLeadIn, fracLeadIn)
	case reTrack.MatchString(s):
		n, _ := strconv.Atoi(reTrack.FindStringSubmatch(s)[1])
		t.enter(StageWriting, fracWriting)
		t.track = n
	case reWrote.MatchString(s):
		m := reWrote.FindStringSubmatch(s)
		done, _ := strconv.Atoi(m[1])
		total, _ := strconv.Atoi(m[2])
		part := 1.0
		if total > 0 {
			part = min(float64(done)/float64(total), 1)
		}
		switch {
		case strings.Contains(m[3], "(Buffer"): // the music (dao/dao.cc writer)
			t.enter(StageWriting, fracWriting+(fracLeadOut-fracWriting)*part)
			t.doneMB, t.totalMB = done, total
		case t.stage == "" || t.stage == StageStarting || t.stage == StageLeadIn:
			t.enter(StageLeadIn, fracLeadIn+(fracWriting-fracLeadIn)*part)
		default:
			t.enter(StageLeadOut, fracLeadOut+(fracFlushing-fracLeadOut)*part)
		}
	case reBlocks.MatchString(s): // "Wrote 282528 blocks. Buffer fill …": the music is written
		t.enter(StageWriting, fracLeadOut)
		if t.totalMB > 0 {
			t.doneMB = t.totalMB
		}
	case strings.HasPrefix(s, "Writing lead-out"):
		t.enter(StageLeadOut, fracLeadOut)
	case strings.HasPrefix(s, "Flushing cache"):
		t.enter(StageFlushing, fracFlushing)
	case s == "Writing finished successfully.",
		s == "Simulation finished successfully.",
		s == "Writing completed successfully.":
		t.enter(StageDone, 1)
	default:
		return Progress{}, false
	}
	p = Progress{Stage: t.stage, DoneMB: t.doneMB, TotalMB: t.totalMB, Fraction: t.frac, Line: line}
	if t.stage == StageWriting {
		p.Track = t.track
	}
	return p, true
}

// enter moves to stage with at least fraction f (never backwards).
func (t *Tracker) enter(stage string, f float64) {
	if t.stage != stage && stage != StageWriting {
		t.track = 0
	}
	t.stage = stage
	if f > t.frac {
		t.frac = f
	}
}

// started tells whether anything was written to the disc yet.
func (t *Tracker) started() bool {
	switch t.stage {
	case StageLeadIn, StageWriting, StageLeadOut, StageFlushing:
		return true
	}
	return false
}
