//go:build unix

package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// pkgDir is the package folder, the working directory tests start in.
var pkgDir, _ = os.Getwd()

// nobody is the user unprivileged runs use when the tests run as root.
const nobody = 65534

// runUnprivileged runs the built maillint binary in dir with args, and
// returns its exit code, stdout and stderr. Root ignores permission bits,
// so as root the binary runs as user nobody: dir and its parents up to the
// temporary folder are opened up (0755) and the binary is copied into dir.
func runUnprivileged(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	// buildBinary builds in the working directory: the package's.
	t.Chdir(pkgDir)
	bin := filepath.Join(buildBinary(t), "maillint")
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		tmp := filepath.Clean(os.TempDir())
		for d := dir; strings.HasPrefix(d, tmp+string(filepath.Separator)); d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		own := filepath.Join(dir, ".maillint-bin")
		os.MkdirAll(own, 0o755)
		copyExecutable(t, bin, filepath.Join(own, "maillint"))
		bin = filepath.Join(own, "maillint")
		cred = &syscall.Credential{Uid: nobody, Gid: nobody}
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin", "NO_COLOR=1", "GIT_CONFIG_NOSYSTEM=1"}
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", bin, err)
	}
	if strings.Contains(stderr.String(), "panic:") || strings.Contains(stderr.String(), "goroutine ") {
		t.Fatalf("maillint %v panicked:\n%s", args, stderr.String())
	}
	return code, stdout.String(), stderr.String()
}

// copyExecutable copies the program src to dst with mode 0755.
func copyExecutable(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
