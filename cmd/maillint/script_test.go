package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// buildBinary builds the real maillint binary once per test run.
func buildBinary(t *testing.T) string {
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "maillint-bin-")
		if buildErr != nil {
			return
		}
		name := "maillint"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, name), ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{err, string(out)}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// TestScript runs the end-to-end scripts in testdata/script against the
// built binary: exit codes, output formats, --diff/--write on real files,
// secrets, symlinks and permissions.
func TestScript(t *testing.T) {
	dir := buildBinary(t)
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("..", "..", "testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", dir+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			env.Setenv("NO_COLOR", "")
			// Hermetic: the machine's /etc/gitconfig is not the test's business.
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			}
			_, err := exec.LookPath(cond)
			return err == nil, nil
		},
	})
}
