package projects_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/projects"
)

// TestCacheDir: the one rule for a song's caches. A writable song keeps
// them in its own .cache; one whose cache cannot be made there (a file in
// the way; a read-only folder when not root) gets a private folder of its
// own in the user's cache, the same one every time and for every path to
// the song, another one for another song; a song folder that is gone is an
// error and nothing is made.
func TestCacheDir(t *testing.T) {
	userCache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", userCache)
	base := t.TempDir()

	song := filepath.Join(base, "song")
	os.Mkdir(song, 0o700)
	got, err := projects.CacheDir(song, "midi", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(song, ".cache", "midi"); got != want {
		t.Errorf("a writable song's cache: %s, want %s", got, want)
	}
	for _, d := range []string{filepath.Join(song, ".cache"), got} {
		if st, err := os.Stat(d); err != nil || !st.IsDir() || st.Mode().Perm() != projects.DirPerm {
			t.Errorf("%s: %v %v", d, st, err)
		}
	}

	root := filepath.Join(userCache, "sangstudio")
	checkCacheInUserCache(t, base, root)

	if os.Geteuid() != 0 { // root may write in a read-only folder
		ro := filepath.Join(base, "ro")
		os.Mkdir(ro, 0o500)
		defer os.Chmod(ro, 0o700)
		c, err := projects.CacheDir(ro, "", 0)
		if err != nil || !strings.HasPrefix(c, root) {
			t.Errorf("a read-only song's cache: %s, %v", c, err)
		}
		if ents, _ := os.ReadDir(ro); len(ents) != 0 {
			t.Errorf("something was made in the read-only song: %v", ents)
		}
	}

	gone := filepath.Join(base, "gone")
	if c, err := projects.CacheDir(gone, "midi", 0); err == nil || !strings.Contains(err.Error(), gone) {
		t.Errorf("a song folder that is gone: %q, %v", c, err)
	}
	if _, err := os.Stat(gone); err == nil {
		t.Error("the song folder that was gone was made")
	}
	if _, err := projects.CacheDir(song, "../elsewhere", 0); err == nil {
		t.Error("a cache folder outside the song was accepted")
	}
}

// checkCacheInUserCache checks the caches of songs in base whose own
// cannot be made (a file in the way): one private folder each in root
// (the user's cache), the same through a link, and the file left alone.
func checkCacheInUserCache(t *testing.T, base, root string) {
	blocked := func(name string) string {
		d := filepath.Join(base, name)
		os.Mkdir(d, 0o700)
		if err := os.WriteFile(filepath.Join(d, ".cache"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := blocked("a"), blocked("b")
	ca, err := projects.CacheDir(a, "peaks", 0)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(filepath.Dir(ca)) != root || filepath.Base(ca) != "peaks" {
		t.Fatalf("the cache of a song whose own cannot be made: %s, want one in %s", ca, root)
	}
	if strings.Contains(ca, "/a/") {
		t.Errorf("the user's cache folder names the song: %s", ca)
	}
	if st, err := os.Stat(ca); err != nil || st.Mode().Perm() != projects.DirPerm {
		t.Errorf("%s: %v %v", ca, st, err)
	}
	if again, _ := projects.CacheDir(a, "peaks", 0); again != ca {
		t.Errorf("the same song, another cache: %s then %s", ca, again)
	}
	link := filepath.Join(base, "link")
	os.Symlink(a, link)
	if via, _ := projects.CacheDir(link, "peaks", 0); via != ca {
		t.Errorf("the same song through a link, another cache: %s, %s", ca, via)
	}
	if cb, _ := projects.CacheDir(b, "peaks", 0); filepath.Dir(cb) == filepath.Dir(ca) {
		t.Errorf("two songs, one cache: %s", cb)
	}
	if st, err := os.Stat(filepath.Join(a, ".cache")); err != nil || st.IsDir() {
		t.Errorf("the file in the way was changed: %v %v", st, err)
	}
}
