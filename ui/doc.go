// Package ui will hold the Fyne window's views and view models. It has no
// code yet: the window is the work of a later issue ("The app: one Fyne
// window"). Until then `sangstudio` works from the command line.
package ui
