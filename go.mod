module sangstudio

go 1.24.2

require github.com/spf13/pflag v1.0.5

require (
	github.com/gordonklaus/portaudio v0.0.0-20250206071425-98a94950218b
	github.com/sinshu/go-meltysynth v0.0.0-20230205031334-05d311382fc4
	gitlab.com/gomidi/midi/v2 v2.3.20
)
