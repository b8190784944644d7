package presex

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ionode/ionode/internal/jsonlimit"
)

// Limits on a presentation_definition read from outside (a verifier's request object, a relying
// party's request), checked before and while it is decoded.
const (
	// MaxDefinitionBytes bounds the definition's JSON.
	MaxDefinitionBytes = 64 << 10
	// MaxInputDescriptors bounds input_descriptors.
	MaxInputDescriptors = 64
	// MaxRequirements bounds the submission requirements, counting every from_nested entry.
	MaxRequirements = 64
	// MaxRequirementDepth bounds from_nested chains: a requirement whose from_nested entries take from
	// groups is 2 levels.
	MaxRequirementDepth = 4
	// maxFields bounds the fields of one input descriptor's constraints.
	maxFields = 32
	// maxDefinitionDepth bounds the JSON nesting: a field filter with contains sits 8 levels deep, and
	// every from_nested level adds 2.
	maxDefinitionDepth = 24
)

// ErrInvalidDefinition marks a presentation_definition that does not parse or breaks DIF PE v2's rules:
// every such error is a *DefinitionError with a stable Code.
var ErrInvalidDefinition = errors.New("invalid presentation_definition")

// ErrorCode says why a definition is invalid. Callers match codes, not messages; the values are what
// users see.
type ErrorCode string

const (
	// CodeMalformed: not JSON of a definition object, over MaxDefinitionBytes or nested too deep.
	CodeMalformed ErrorCode = "definition_malformed"
	// CodeDescriptors: no id, no input descriptors, or more than MaxInputDescriptors.
	CodeDescriptors ErrorCode = "definition_input_descriptors"
	// CodeDescriptorID: an input descriptor without an id, or two with the same id.
	CodeDescriptorID ErrorCode = "input_descriptor_id"
	// CodeField: a field without a path, with a path outside the supported JSONPath subset, or over
	// maxFields fields in one descriptor.
	CodeField ErrorCode = "input_descriptor_field"
	// CodeGroupMissing: the definition has submission requirements, and an input descriptor no group.
	CodeGroupMissing ErrorCode = "input_descriptor_group_missing"
	// CodeRule: a requirement's rule is neither "all" nor "pick".
	CodeRule ErrorCode = "submission_requirement_rule"
	// CodeSource: a requirement has both from and from_nested, or neither (or an empty from_nested).
	CodeSource ErrorCode = "submission_requirement_source"
	// CodeUnknownGroup: from names a group no input descriptor is in.
	CodeUnknownGroup ErrorCode = "submission_requirement_unknown_group"
	// CodeBounds: count below 1, min or max below 0, max below min, or a count or min above what the
	// requirement's source offers (it could never be met).
	CodeBounds ErrorCode = "submission_requirement_bounds"
	// CodeRequirementsSize: more than MaxRequirements requirements, or nested deeper than
	// MaxRequirementDepth.
	CodeRequirementsSize ErrorCode = "submission_requirements_too_large"
)

// DefinitionError is an invalid definition: what is wrong (Code), where (At, e.g.
// "submission_requirements[1].from_nested[0]") and a reason for people.
type DefinitionError struct {
	Code   ErrorCode
	At     string
	Reason string
}

func (e *DefinitionError) Error() string {
	if e.At == "" {
		return fmt.Sprintf("%v: %s: %s", ErrInvalidDefinition, e.Code, e.Reason)
	}
	return fmt.Sprintf("%v: %s: %s: %s", ErrInvalidDefinition, e.Code, e.At, e.Reason)
}

// Unwrap makes every DefinitionError match ErrInvalidDefinition.
func (e *DefinitionError) Unwrap() error { return ErrInvalidDefinition }

func invalid(code ErrorCode, at, format string, args ...any) error {
	return &DefinitionError{Code: code, At: at, Reason: fmt.Sprintf(format, args...)}
}

// ParseDefinition reads a presentation_definition from outside: bounded in size and depth, decoded
// once, then validated.
func ParseDefinition(b []byte) (*Definition, error) {
	if err := jsonlimit.Check(b, MaxDefinitionBytes, maxDefinitionDepth); err != nil {
		return nil, invalid(CodeMalformed, "", "%v", err)
	}
	var d Definition
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, invalid(CodeMalformed, "", "%v", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Validate checks d against DIF PE v2's rules for what this package evaluates: unique input descriptor
// ids, fields with supported paths and, with submission requirements, groups on every descriptor and
// requirements that name known groups with bounds their source can meet. Its work is linear in d.
func (d *Definition) Validate() error {
	if d.ID == "" {
		return invalid(CodeDescriptors, "id", "the definition has no id")
	}
	if n := len(d.InputDescriptors); n == 0 || n > MaxInputDescriptors {
		return invalid(CodeDescriptors, "input_descriptors", "%d input descriptors, want 1-%d", n, MaxInputDescriptors)
	}
	ids := make(map[string]bool, len(d.InputDescriptors))
	for i := range d.InputDescriptors {
		in := &d.InputDescriptors[i]
		at := fmt.Sprintf("input_descriptors[%d]", i)
		if in.ID == "" || ids[in.ID] {
			return invalid(CodeDescriptorID, at, "id %q is empty or not unique", in.ID)
		}
		ids[in.ID] = true
		if err := in.Constraints.validate(at); err != nil {
			return err
		}
		if len(d.SubmissionRequirements) > 0 && len(in.Group) == 0 {
			return invalid(CodeGroupMissing, at, "submission requirements pick by group, and %q is in none", in.ID)
		}
	}
	if len(d.SubmissionRequirements) == 0 {
		return nil
	}
	g := newGroups(d, nil)
	nodes := 0
	for i := range d.SubmissionRequirements {
		if err := d.SubmissionRequirements[i].validate(g, fmt.Sprintf("submission_requirements[%d]", i), 1, &nodes); err != nil {
			return err
		}
	}
	return nil
}

func (c *Constraints) validate(at string) error {
	if len(c.Fields) > maxFields {
		return invalid(CodeField, at, "%d fields, at most %d", len(c.Fields), maxFields)
	}
	for j, f := range c.Fields {
		if len(f.Path) == 0 {
			return invalid(CodeField, fmt.Sprintf("%s.constraints.fields[%d]", at, j), "a field needs a path")
		}
		for _, p := range f.Path {
			if _, err := ParsePath(p); err != nil {
				return invalid(CodeField, fmt.Sprintf("%s.constraints.fields[%d]", at, j), "%v", err)
			}
		}
	}
	return nil
}

// validate checks one requirement and its from_nested entries; nodes counts them all.
func (r *SubmissionRequirement) validate(g *groups, at string, level int, nodes *int) error {
	if *nodes++; *nodes > MaxRequirements {
		return invalid(CodeRequirementsSize, at, "more than %d submission requirements", MaxRequirements)
	}
	if level > MaxRequirementDepth {
		return invalid(CodeRequirementsSize, at, "from_nested deeper than %d levels", MaxRequirementDepth)
	}
	if r.Rule != RuleAll && r.Rule != RulePick {
		return invalid(CodeRule, at, "rule %q, want %q or %q", r.Rule, RuleAll, RulePick)
	}
	if (r.From == "") == (len(r.FromNested) == 0) {
		return invalid(CodeSource, at, "exactly one of from and a non-empty from_nested is required")
	}
	offered := len(r.FromNested)
	if r.From != "" {
		gc, ok := g.byName[r.From]
		if !ok {
			return invalid(CodeUnknownGroup, at, "no input descriptor is in group %q", r.From)
		}
		offered = gc.total()
	}
	switch {
	case r.Count != nil && *r.Count < 1:
		return invalid(CodeBounds, at, "count %d is below 1", *r.Count)
	case r.Min != nil && *r.Min < 0, r.Max != nil && *r.Max < 0:
		return invalid(CodeBounds, at, "min and max cannot be negative")
	case r.Min != nil && r.Max != nil && *r.Max < *r.Min:
		return invalid(CodeBounds, at, "max %d is below min %d", *r.Max, *r.Min)
	case r.Count != nil && *r.Count > offered, r.Min != nil && *r.Min > offered:
		return invalid(CodeBounds, at, "asks for more than the %d its source offers", offered)
	}
	for i := range r.FromNested {
		if err := r.FromNested[i].validate(g, fmt.Sprintf("%s.from_nested[%d]", at, i), level+1, nodes); err != nil {
			return err
		}
	}
	return nil
}
