package pkcs11

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// DefaultPINEnv is the environment variable the PIN is read from when no file is given.
const DefaultPINEnv = "IONODE_PKCS11_PIN"

// Config says where a key is and how to log in.
type Config struct {
	URI URI
	// ModulePath is the PKCS#11 module (.so); default the URI's module-path.
	ModulePath string
	// PINFile holds the user PIN (trailing newline ignored); default the URI's pin-source.
	PINFile string
	// PINEnv names the environment variable holding the PIN when there is no file; default DefaultPINEnv.
	PINEnv string
	// Sessions is the size of the session pool; default 4.
	Sessions int
}

// ErrNoPIN is returned when neither a PIN file nor the PIN environment variable is set.
var ErrNoPIN = errors.New("pkcs11: no PIN")

func (c Config) module() (string, error) {
	m := c.ModulePath
	if m == "" {
		m = c.URI.Module
	}
	if m == "" {
		return "", fmt.Errorf("pkcs11: no module path (set --pkcs11-module or module-path= in the URI)")
	}
	return m, nil
}

// pin reads the PIN from the file or the environment.
func (c Config) pin() (string, error) {
	file := c.PINFile
	if file == "" {
		file = strings.TrimPrefix(c.URI.PINSource, "file:")
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("pkcs11: PIN file: %w", err)
		}
		if len(b) > 256 {
			return "", fmt.Errorf("pkcs11: PIN file %s is longer than 256 bytes", file)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	env := c.PINEnv
	if env == "" {
		env = DefaultPINEnv
	}
	if v, ok := os.LookupEnv(env); ok && v != "" {
		return v, nil
	}
	return "", fmt.Errorf("%w: set %s or give a PIN file", ErrNoPIN, env)
}
