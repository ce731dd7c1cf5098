package settingsview

import (
	"sangstudio/ui/explain"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// calibrationSection says whether the chosen device is calibrated and
// opens the calibration dialog; without Options.Calibrate it is not shown.
type calibrationSection struct {
	v      *View
	button *widget.Button
	note   *widget.Label
}

func newCalibrationSection(v *View) *calibrationSection {
	c := &calibrationSection{v: v}
	c.button = widget.NewButton(lang.L("Calibrate…"), c.show)
	c.note = help("")
	c.update()
	return c
}

func (c *calibrationSection) content() fyne.CanvasObject {
	box := section(lang.X("settings.calibration", "Calibration"),
		help(lang.L("For exact timing, measure the delay once with a cable.")),
		c.note, container.NewHBox(c.button))
	if c.v.opt.Calibrate == nil {
		box.Hide()
	}
	return box
}

func (c *calibrationSection) update() {
	v := c.v
	if v.opt.Calibrate == nil {
		return
	}
	info, ok := v.device.current()
	switch {
	case v.device.listing && !ok:
		c.button.Disable()
		c.note.SetText(lang.L("Looking for audio devices…"))
	case ok && info.Virtual:
		c.button.Disable()
		c.note.SetText(lang.L("The virtual device needs no calibration."))
	case !ok:
		c.button.Disable()
		c.note.SetText(lang.L("The audio device is not connected."))
	default:
		c.button.Enable()
		if f, ok := v.s.Calibration[info.ID]; ok {
			c.note.SetText(lang.L("Calibration for this device: {{.Ms}} ms", map[string]any{"Ms": v.ms(f, v.device.rate())}))
		} else {
			c.note.SetText(lang.L("This device is not calibrated."))
		}
	}
}

// show opens the calibration dialog for the chosen device.
func (c *calibrationSection) show() {
	id := c.v.device.id()
	if id == "" || c.v.opt.Calibrate == nil || c.v.opt.Window == nil {
		return
	}
	newCalibrationDialog(c, id).show()
}

// set stores a measured offset for a device. A device chosen as "the
// default" is then chosen by its ID, since the measurement belongs to it.
func (c *calibrationSection) set(id string, frames int64) {
	v := c.v
	m := make(map[string]int64, len(v.s.Calibration)+1)
	for k, x := range v.s.Calibration {
		m[k] = x
	}
	m[id] = frames
	v.s.Calibration = m
	if v.s.Device == "" {
		v.s.Device = id
	}
	c.update()
	v.audioChanged()
}

// calibrationDialog measures the delay of one device: Start runs
// Options.Calibrate, and a result is stored with calibrationSection.set.
type calibrationDialog struct {
	c      *calibrationSection
	id     string
	d      *dialog.CustomDialog
	start  *widget.Button
	close  *widget.Button // Cancel, then OK once measured
	result *widget.Label
}

func newCalibrationDialog(c *calibrationSection, id string) *calibrationDialog {
	m := &calibrationDialog{c: c, id: id}
	m.result = help("")
	m.result.Hide()
	m.start = widget.NewButtonWithIcon(lang.X("settings.start", "Start"), theme.MediaPlayIcon(), m.measure)
	m.start.Importance = widget.HighImportance
	m.close = widget.NewButton(lang.L("Cancel"), nil)
	body := container.NewVBox(
		help(lang.L("Connect an output to an input with a cable, then press Start.")),
		help(lang.L("Turn the speakers down first: you will hear loud clicks.")),
		m.result,
	)
	m.d = dialog.NewCustomWithoutButtons(lang.L("Measure the delay"), body, c.v.opt.Window)
	m.d.SetButtons([]fyne.CanvasObject{m.close, m.start})
	m.close.OnTapped = m.d.Hide
	return m
}

// fit sizes the dialog. Wrapped texts are as tall as their width makes
// them: it is sized once laid out, and again when the result shows.
func (m *calibrationDialog) fit() { m.d.Resize(fyne.NewSize(theme.TextSize()*36, 0)) }

func (m *calibrationDialog) show() {
	m.fit()
	m.d.Show()
	m.fit()
}

func (m *calibrationDialog) measure() {
	m.start.Disable()
	setNote(m.result, lang.L("Measuring… (a few seconds)"))
	m.fit()
	m.c.v.opt.Calibrate(m.id, m.measured)
}

// measured shows the result of a measurement and stores it.
func (m *calibrationDialog) measured(frames int64, err error) {
	m.start.Enable()
	if err != nil {
		setNote(m.result, explain.With(lang.L("The measurement did not work:"), err))
		m.fit()
		return
	}
	m.c.set(m.id, frames)
	v := m.c.v
	setNote(m.result, lang.L("Measured: {{.Ms}} ms ({{.Frames}} frames). Saved for this device.",
		map[string]any{"Ms": v.ms(frames, v.device.rate()), "Frames": frames}))
	m.close.SetText(lang.L("OK"))
	m.fit()
}
