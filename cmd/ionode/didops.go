package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ionode/ionode/sidetree"
)

// Key directories: `did create --out DIR` writes recovery.jwk, update.jwk and the document keys. An
// operation that changes an operation key writes the next key as <name>.next.jwk first; once the node
// accepted the request (or, when only printed, when the user reruns with --promote), the next key becomes
// the current one and the old one is kept as <name>.<time>.old.jwk. A key is never lost: until the
// operation is anchored the old key may still be the one the DID commits to.

// opFlags are the flags every operation command shares.
type opFlags struct {
	keys, node string
	// Token keys (pkcs11: URIs) used instead of the files in keys.
	updateKey, recoveryKey, nextUpdateKey, nextRecoveryKey string
	wait                                                   time.Duration
	asJSON                                                 bool
}

func (o *opFlags) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.keys, "keys", ".", "key directory written by `ionode did create` (recovery.jwk, update.jwk)")
	f.StringVar(&o.node, "node", "", "ION node URL to submit the request to (e.g. http://127.0.0.1:3000); empty: print the request only")
	f.DurationVar(&o.wait, "wait", 0, "with --node: wait up to this long for the operation to be anchored and resolvable")
	f.BoolVar(&o.asJSON, "json", false, "print one JSON object")
}

// bindToken adds flags naming operation keys held in a PKCS#11 token: "update-key", "recovery-key",
// "next-update-key", "next-recovery-key".
func (o *opFlags) bindToken(cmd *cobra.Command, names ...string) {
	vars := map[string]*string{"update-key": &o.updateKey, "recovery-key": &o.recoveryKey,
		"next-update-key": &o.nextUpdateKey, "next-recovery-key": &o.nextRecoveryKey}
	for _, name := range names {
		what, next := strings.CutPrefix(strings.TrimSuffix(name, "-key"), "next-")
		usage := "the current " + what + " key in a PKCS#11 token (pkcs11:token=…;object=…); default <keys>/" + what + ".jwk"
		if next {
			usage = "the next " + what + " key in a PKCS#11 token (made by `ionode keys generate --pkcs11`); default a new <keys>/" + what + ".next.jwk"
		}
		cmd.Flags().StringVar(vars[name], name, "", usage)
	}
}

func newDIDUpdateCommand() *cobra.Command {
	var (
		of                                     opFlags
		addServices, removeServices, removeKey []string
		addKeys                                []string
	)
	cmd := &cobra.Command{
		Use:   "update DID",
		Short: "Add or remove keys and services of a DID, signed with its update key",
		Long: `Build an update request signed with <keys>/update.jwk, committing to a newly generated update key.

--add-key id[,type[,purpose...]] generates a document key (type secp256k1 or Ed25519; purposes default to
authentication,assertionMethod) and writes its private part to <keys>/<id>.jwk.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			did, err := parseDIDArg(args[0])
			if err != nil {
				return err
			}
			p := sidetree.Mainnet().Latest()
			update, err := of.signingKey(cmd.Context(), "update", of.updateKey)
			if err != nil {
				return err
			}
			var changes sidetree.UpdateChanges
			newKeys := map[string]sidetree.JWK{}
			for _, s := range addServices {
				svc, err := parseServiceFlag(s)
				if err != nil {
					return fail(exitInvalidInput, "%v", err)
				}
				changes.AddServices = append(changes.AddServices, svc)
			}
			for _, spec := range addKeys {
				pk, priv, err := parseAddKeyFlag(spec)
				if err != nil {
					return fail(exitInvalidInput, "%v", err)
				}
				changes.AddPublicKeys = append(changes.AddPublicKeys, pk)
				newKeys[pk.ID+".jwk"] = priv
			}
			changes.RemoveServiceIDs = removeServices
			changes.RemoveKeyIDs = removeKey
			if len(changes.AddServices)+len(changes.AddPublicKeys)+len(changes.RemoveServiceIDs)+len(changes.RemoveKeyIDs) == 0 {
				return fail(exitInvalidInput, "nothing to update: give --add-key, --remove-key, --add-service or --remove-service")
			}
			next, rot, err := of.nextKey(cmd.Context(), "update", of.updateKey, of.nextUpdateKey)
			if err != nil {
				return err
			}
			body, err := sidetree.NewUpdateRequest(did.Suffix, update, next, changes, p)
			if err != nil {
				return fail(exitInvalidInput, "cannot build the update request: %v", err)
			}
			for name, k := range newKeys {
				if err := writeKeyFile(filepath.Join(of.keys, name), k); err != nil {
					return err
				}
			}
			return of.finish(cmd, did, body, rot)
		},
	}
	of.bind(cmd)
	of.bindToken(cmd, "update-key", "next-update-key")
	f := cmd.Flags()
	f.StringArrayVar(&addKeys, "add-key", nil, "add a document key: id[,type[,purpose...]] (repeatable)")
	f.StringSliceVar(&removeKey, "remove-key", nil, "ids of document keys to remove")
	f.StringArrayVar(&addServices, "add-service", nil, "add a service: id,type,endpoint (repeatable)")
	f.StringSliceVar(&removeServices, "remove-service", nil, "ids of services to remove")
	return cmd
}

func newDIDRecoverCommand() *cobra.Command {
	var (
		of                 opFlags
		keyID, keyType     string
		purposes, services []string
	)
	cmd := &cobra.Command{
		Use:   "recover DID",
		Short: "Replace a DID's document and operation keys, signed with its recovery key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			did, err := parseDIDArg(args[0])
			if err != nil {
				return err
			}
			recovery, err := of.signingKey(cmd.Context(), "recovery", of.recoveryKey)
			if err != nil {
				return err
			}
			docKey, docKeyType, err := generateDocumentKey(keyType)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			doc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{ID: keyID, Type: docKeyType, JWK: docKey.Public().Value(), Purposes: purposes}}}
			for _, s := range services {
				svc, err := parseServiceFlag(s)
				if err != nil {
					return fail(exitInvalidInput, "%v", err)
				}
				doc.Services = append(doc.Services, svc)
			}
			nextRecovery, rot, err := of.nextKey(cmd.Context(), "recovery", of.recoveryKey, of.nextRecoveryKey)
			if err != nil {
				return err
			}
			// The update key follows the recovery key's custody: in a token when --next-update-key names one.
			nextUpdate, rotUpdate, err := of.nextKey(cmd.Context(), "update", "", of.nextUpdateKey)
			if err != nil {
				return err
			}
			rot = append(rot, rotUpdate...)
			body, err := sidetree.NewRecoverRequest(did.Suffix, recovery, nextRecovery, nextUpdate, doc, sidetree.Mainnet().Latest())
			if err != nil {
				return fail(exitInvalidInput, "cannot build the recover request: %v", err)
			}
			if err := writeKeyFile(filepath.Join(of.keys, keyID+".recovered.jwk"), docKey); err != nil {
				return err
			}
			return of.finish(cmd, did, body, rot)
		},
	}
	of.bind(cmd)
	of.bindToken(cmd, "recovery-key", "next-recovery-key", "next-update-key")
	f := cmd.Flags()
	f.StringVar(&keyID, "key-id", "key-1", "id of the new document key")
	f.StringVar(&keyType, "key-type", "secp256k1", "new document key type: secp256k1 or Ed25519")
	f.StringSliceVar(&purposes, "purposes", []string{sidetree.PurposeAuthentication, sidetree.PurposeAssertionMethod}, "purposes of the new document key")
	f.StringArrayVar(&services, "service", nil, "a service of the new document as id,type,endpoint (repeatable)")
	return cmd
}

func newDIDDeactivateCommand() *cobra.Command {
	var of opFlags
	cmd := &cobra.Command{
		Use:   "deactivate DID",
		Short: "Deactivate a DID for good, signed with its recovery key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			did, err := parseDIDArg(args[0])
			if err != nil {
				return err
			}
			recovery, err := of.signingKey(cmd.Context(), "recovery", of.recoveryKey)
			if err != nil {
				return err
			}
			body, err := sidetree.NewDeactivateRequest(did.Suffix, recovery, sidetree.Mainnet().Latest())
			if err != nil {
				return fail(exitInvalidInput, "cannot build the deactivate request: %v", err)
			}
			return of.finish(cmd, did, body, nil)
		},
	}
	of.bind(cmd)
	of.bindToken(cmd, "recovery-key")
	return cmd
}

// rotation is an operation key the request commits to.
type rotation struct {
	name string
	next sidetree.JWK
}

// finish writes the next keys, prints or submits the request, and waits for it when asked (until the
// DID resolves with it applied: package client knows each operation type's sign of that).
func (o *opFlags) finish(cmd *cobra.Command, did *sidetree.DID, body sidetree.Value, rot []rotation) error {
	for _, r := range rot {
		if err := writeKeyFile(filepath.Join(o.keys, r.name+".next.jwk"), r.next); err != nil {
			return err
		}
	}
	if o.node == "" {
		if !o.asJSON {
			fmt.Fprintln(cmd.ErrOrStderr(), "Request (POST it to a node's /operations; once anchored, rename the *.next.jwk keys to replace the current ones):")
		}
		return printJSON(cmd, body.Stringify(), false)
	}
	c := nodeClient{base: strings.TrimRight(o.node, "/")}
	result := sidetree.Object(sidetree.Member{Key: "submitted", Value: sidetree.Bool(true)}, sidetree.Member{Key: "did", Value: sidetree.String(did.ShortForm)})
	if o.wait <= 0 {
		if err := c.submit(cmd.Context(), body.Stringify()); err != nil {
			return err
		}
		if err := promoteKeys(o.keys, rot); err != nil {
			return err
		}
	} else {
		// The next keys become current as soon as the node has the operation, even if the wait ends
		// first: the operation may still be anchored.
		var promoted error
		res, err := c.submitAndWait(cmd.Context(), did.ShortForm, body.Stringify(), o.wait, cmd.ErrOrStderr(), func() {
			promoted = promoteKeys(o.keys, rot)
		})
		if promoted != nil {
			return promoted
		}
		if err != nil {
			return err
		}
		result.Set("resolution", res)
	}
	if o.asJSON {
		return printJSON(cmd, result.Stringify(), false)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Submitted %s operation for %s\n", opTypeOf(body), did.ShortForm)
	if o.wait > 0 {
		fmt.Fprintln(cmd.OutOrStdout(), "Anchored and resolved.")
	}
	return nil
}

func opTypeOf(body sidetree.Value) string {
	t, _ := body.Field("type").Str()
	return t
}

// promoteKeys makes the submitted request's next keys current, keeping the old ones.
func promoteKeys(dir string, rot []rotation) error {
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for _, r := range rot {
		cur := filepath.Join(dir, r.name+".jwk")
		if err := os.Rename(cur, filepath.Join(dir, r.name+"."+stamp+".old.jwk")); err != nil {
			return fmt.Errorf("keep the old %s key: %w", r.name, err)
		}
		if err := os.Rename(filepath.Join(dir, r.name+".next.jwk"), cur); err != nil {
			return fmt.Errorf("promote the next %s key: %w", r.name, err)
		}
	}
	return nil
}

func parseDIDArg(arg string) (*sidetree.DID, error) {
	did := strings.TrimSpace(arg)
	parsed, err := sidetree.ParseDID(did, methodForDID(did), sidetree.Mainnet().Latest())
	if err != nil {
		return nil, fail(exitInvalidInput, "invalid DID: %v", err)
	}
	return parsed, nil
}

// readKeyFile reads a private JWK written by ionode; it refuses keys others can read.
func readKeyFile(path string) (sidetree.JWK, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return sidetree.JWK{}, fail(exitInvalidInput, "key file %s does not exist (see --keys)", path)
		}
		return sidetree.JWK{}, fmt.Errorf("key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return sidetree.JWK{}, fail(exitInvalidInput, "key file %s is readable by others (mode %v): chmod 600 it", path, info.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return sidetree.JWK{}, fmt.Errorf("key file: %w", err)
	}
	var k sidetree.JWK
	if err := json.Unmarshal(data, &k); err != nil || k.D == "" {
		return sidetree.JWK{}, fail(exitInvalidInput, "key file %s is not a private JWK", path)
	}
	return k, nil
}

func parseAddKeyFlag(spec string) (sidetree.PublicKey, sidetree.JWK, error) {
	parts := strings.Split(spec, ",")
	if parts[0] == "" {
		return sidetree.PublicKey{}, sidetree.JWK{}, fmt.Errorf("--add-key %q: want id[,type[,purpose...]]", spec)
	}
	keyType := "secp256k1"
	if len(parts) > 1 && parts[1] != "" {
		keyType = parts[1]
	}
	purposes := []string{sidetree.PurposeAuthentication, sidetree.PurposeAssertionMethod}
	if len(parts) > 2 {
		purposes = parts[2:]
	}
	priv, typ, err := generateDocumentKey(keyType)
	if err != nil {
		return sidetree.PublicKey{}, sidetree.JWK{}, err
	}
	return sidetree.PublicKey{ID: parts[0], Type: typ, JWK: priv.Public().Value(), Purposes: purposes}, priv, nil
}

func newKeysCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage private keys"}
	var keyType, out, token string
	gen := &cobra.Command{
		Use:   "generate",
		Short: "Generate a private key as a JWK file (0600), or inside a PKCS#11 token, and print its public JWK",
		Long: `Generate a private key as a JWK file (--out), or inside a PKCS#11 token (--pkcs11 URI), and print its
public JWK. A token key is generated non-extractable and found again by its label (object=):

  IONODE_PKCS11_PIN=… ionode keys generate --type secp256k1 \
    --pkcs11 'pkcs11:token=ionode;object=writer?module-path=/usr/lib/softhsm/libsofthsm2.so'

The PIN comes from the URI's pin-source file or $IONODE_PKCS11_PIN; the module from module-path or
$IONODE_PKCS11_MODULE. Key types: secp256k1 (Bitcoin, ION operations, ES256K), P-256 (ES256; token only)
and Ed25519.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token != "" {
				return generateInToken(cmd, token, keyType)
			}
			if out == "" {
				return fail(exitInvalidInput, "--out is required: private keys are written to files, never printed")
			}
			k, _, err := generateDocumentKey(keyType)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			if err := writeKeyFile(out, k); err != nil {
				return err
			}
			return printJSON(cmd, k.Public().Value().Stringify(), false)
		},
	}
	gen.Flags().StringVar(&keyType, "type", "secp256k1", "key type: secp256k1 or Ed25519")
	gen.Flags().StringVar(&out, "out", "", "file to write the private JWK to (refuses to overwrite)")
	gen.Flags().StringVar(&token, "pkcs11", "", "generate inside the PKCS#11 token this URI names (pkcs11:token=…;object=label)")
	cmd.AddCommand(gen)
	return cmd
}
