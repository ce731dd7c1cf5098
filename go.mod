module sangstudio

go 1.24.0

require github.com/spf13/pflag v1.0.5

require github.com/gordonklaus/portaudio v0.0.0-20250206071425-98a94950218b
