package sdjwt

import (
	"strconv"

	"github.com/ionode/ionode/credential"
)

// Path is where a claim sits in the processed payload: object member names (string) and array indexes
// (int), from the top. It is what DCQL claim paths select.
type Path []any

// String writes a path as dotted members with [i] for array elements, e.g. address.street_address or
// nationalities[1].
func (p Path) String() string {
	var b []byte
	for _, s := range p {
		switch x := s.(type) {
		case string:
			if len(b) > 0 {
				b = append(b, '.')
			}
			b = append(b, x...)
		case int:
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(x), 10)
			b = append(b, ']')
		}
	}
	return string(b)
}

// processed is the outcome of replacing digests by the Disclosures that match them.
type processed struct {
	claims map[string]any
	// paths[i] is the path of the claim Disclosure i revealed.
	paths []Path
	steps int // work done, for the linearity test
}

// processor reconstructs the payload (RFC 9901 Section 7.1 steps 3 to 5): every digest in _sd arrays
// and {"...": digest} array elements is looked up among the Disclosures; a match is replaced by its
// (recursively processed) claim, anything else is a decoy and dropped. Each Disclosure is used at most
// once and every digest is seen at most once, so the work is linear in the size of the payload plus
// the Disclosures.
type processor struct {
	byDigest map[string]int
	discs    []*Disclosure
	used     []bool
	seen     map[string]bool
	out      processed
}

// process checks and applies the Disclosures to a verified payload.
func process(payload map[string]any, encoded []string) (*processed, error) {
	p := &processor{
		byDigest: make(map[string]int, len(encoded)),
		discs:    make([]*Disclosure, len(encoded)),
		used:     make([]bool, len(encoded)),
		seen:     map[string]bool{},
	}
	p.out.paths = make([]Path, len(encoded))
	for i, e := range encoded {
		d, err := ParseDisclosure(e)
		if err != nil {
			return nil, err
		}
		dg := d.Digest()
		if _, dup := p.byDigest[dg]; dup {
			return nil, fail(CodeDuplicateDigest, "disclosure %s is sent twice", dg[:12])
		}
		p.byDigest[dg] = i
		p.discs[i] = d
		p.out.steps++
	}
	if err := checkDepth(payload, 1); err != nil {
		return nil, fail(credential.CodeInvalidJWT, "payload: %v", err)
	}
	v, err := p.object(payload, nil, 1)
	if err != nil {
		return nil, err
	}
	p.out.claims = v
	delete(p.out.claims, "_sd_alg")
	for i, u := range p.used {
		if !u {
			return nil, fail(CodeDisclosureNotReferenced, "the digest of disclosure %d (%s) is not in the issuer-signed JWT or another disclosure", i+1, p.discs[i].Digest()[:12])
		}
	}
	return &p.out, nil
}

func (p *processor) value(v any, path Path, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fail(CodeInvalidDisclosure, "claims nested deeper than %d", MaxDepth)
	}
	switch x := v.(type) {
	case map[string]any:
		return p.object(x, path, depth)
	case []any:
		return p.array(x, path, depth)
	}
	return v, nil
}

// take marks the Disclosure of digest dg used; it returns nil for a decoy.
func (p *processor) take(dg string) (*Disclosure, int, error) {
	p.out.steps++
	if p.seen[dg] {
		return nil, 0, fail(CodeDuplicateDigest, "digest %s appears more than once", credential.Truncate(dg))
	}
	p.seen[dg] = true
	i, ok := p.byDigest[dg]
	if !ok {
		return nil, 0, nil
	}
	p.used[i] = true
	return p.discs[i], i, nil
}

func (p *processor) object(obj map[string]any, path Path, depth int) (map[string]any, error) {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if k == "_sd" {
			continue
		}
		p.out.steps++
		pv, err := p.value(v, append(path[:len(path):len(path)], k), depth+1)
		if err != nil {
			return nil, err
		}
		out[k] = pv
	}
	raw, ok := obj["_sd"]
	if !ok {
		return out, nil
	}
	digests, ok := raw.([]any)
	if !ok {
		return nil, fail(credential.CodeInvalidJWT, "_sd at %s is not an array", path)
	}
	for _, e := range digests {
		dg, ok := e.(string)
		if !ok {
			return nil, fail(credential.CodeInvalidJWT, "_sd at %s holds a non-string", path)
		}
		d, i, err := p.take(dg)
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		if d.IsArray {
			return nil, fail(CodeInvalidDisclosure, "array element disclosure %s is referenced from an object's _sd", dg[:12])
		}
		if _, exists := out[d.Name]; exists {
			return nil, fail(CodeInvalidDisclosure, "disclosure %s would overwrite a claim at %s", dg[:12], path)
		}
		at := append(path[:len(path):len(path)], d.Name)
		pv, err := p.value(d.Value, at, depth+1)
		if err != nil {
			return nil, err
		}
		out[d.Name] = pv
		p.out.paths[i] = at
	}
	return out, nil
}

func (p *processor) array(arr []any, path Path, depth int) ([]any, error) {
	out := make([]any, 0, len(arr))
	for _, e := range arr {
		p.out.steps++
		at := append(path[:len(path):len(path)], len(out))
		if obj, ok := e.(map[string]any); ok && len(obj) == 1 {
			if raw, ok := obj["..."]; ok {
				dg, ok := raw.(string)
				if !ok {
					return nil, fail(credential.CodeInvalidJWT, "array element digest at %s is not a string", path)
				}
				d, i, err := p.take(dg)
				if err != nil {
					return nil, err
				}
				if d == nil {
					continue // a decoy
				}
				if !d.IsArray {
					return nil, fail(CodeInvalidDisclosure, "property disclosure %s is referenced as an array element", dg[:12])
				}
				pv, err := p.value(d.Value, at, depth+1)
				if err != nil {
					return nil, err
				}
				out = append(out, pv)
				p.out.paths[i] = at
				continue
			}
		}
		pv, err := p.value(e, at, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, pv)
	}
	return out, nil
}
