package waveform

import "sync"

// Workers is how many peaks a Store computes at a time.
const Workers = 2

// Store keeps the peaks of a song's takes in memory for a user interface:
// Get never blocks, and Request computes (or loads from the cache, see
// LoadFile) in the background. A Store is safe for concurrent use.
type Store struct {
	dir     string
	compute computeFunc   // what the cache does not have: compute
	sem     chan struct{} // one token per running computation

	mu sync.Mutex
	m  map[string]*entry // by take name
}

// entry is one take's peaks, or the request computing them. Each request
// for another WAV file makes a new entry; a computation whose entry has
// been replaced or forgotten meanwhile keeps its result to itself.
type entry struct {
	wav     string
	peaks   *Peaks
	err     error
	running bool
	waiters []func()
}

// NewStore returns an empty Store for the song in folder songDir.
func NewStore(songDir string) *Store {
	return &Store{dir: songDir, compute: compute, sem: make(chan struct{}, Workers), m: map[string]*entry{}}
}

// Get returns the peaks of take if they are ready. It never blocks on a
// computation. The caller must not modify the peaks.
func (s *Store) Get(take string) (*Peaks, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.m[take]; e != nil && e.peaks != nil {
		return e.peaks, true
	}
	return nil, false
}

// Err returns why the last request for take failed, or nil.
func (s *Store) Err(take string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.m[take]; e != nil {
		return e.err
	}
	return nil
}

// Request asks for the peaks of take, read from the WAV file wavPath (""
// for the take file itself, SONG_DIR/audio/<take>; for a MIDI take, its
// render in the MIDI cache). Unless they are ready or being computed from
// the same file already, a background goroutine loads or computes them,
// at most Workers at a time; a request naming another file than the
// earlier one for the take (say, a new render) replaces it.
//
// done, if not nil, is called once, on another goroutine, when the peaks
// are ready (Get returns them) or computing them failed (Err tells why);
// at once if that was already so. A user interface would redraw from done.
// A failed take is not tried again until Forget.
func (s *Store) Request(take, wavPath string, done func()) {
	s.mu.Lock()
	e := s.m[take]
	if e != nil && e.wav == wavPath {
		if e.running {
			if done != nil {
				e.waiters = append(e.waiters, done)
			}
		} else if done != nil {
			go done()
		}
		s.mu.Unlock()
		return
	}
	e = &entry{wav: wavPath, running: true}
	if done != nil {
		e.waiters = append(e.waiters, done)
	}
	s.m[take] = e
	s.mu.Unlock()

	go func() {
		s.sem <- struct{}{}
		p, err := loadFile(s.dir, take, wavPath, s.compute)
		<-s.sem
		s.mu.Lock()
		e.peaks, e.err, e.running = p, err, false
		waiters := e.waiters
		e.waiters = nil
		s.mu.Unlock()
		for _, f := range waiters {
			f()
		}
	}()
}

// Forget drops what the Store knows about take, such as after the take
// file changed; the next Request loads it again. A computation under way
// still calls its done functions but its result is dropped.
func (s *Store) Forget(take string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, take)
}
