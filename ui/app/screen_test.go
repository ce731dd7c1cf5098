package app

import (
	"testing"

	"fyne.io/fyne/v2"
)

func TestFitSize(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		scale float32
		want  fyne.Size
	}{
		{1920, 1080, 1, fyne.NewSize(1280, 820)},     // room for the preferred size
		{1366, 768 - 32, 1, fyne.NewSize(1280, 688)}, // a laptop with a 32 px panel
		{1024, 600, 1, fyne.NewSize(1008, 552)},
		{2048, 1200, 2, fyne.NewSize(1016, 576)}, // a scale of 2: half as many units
	} {
		if got := fitSize(c.w, c.h, c.scale); got != c.want {
			t.Errorf("%d×%d at scale %v: %v, want %v", c.w, c.h, c.scale, got, c.want)
		}
	}
}
