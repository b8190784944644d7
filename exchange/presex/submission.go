package presex

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ionode/ionode/internal/jsonlimit"
)

// Limits on a wallet's presentation_submission, checked before it is decoded.
const (
	// MaxSubmissionBytes bounds the submission's JSON.
	MaxSubmissionBytes = 64 << 10
	// MaxDescriptors bounds the descriptor_map.
	MaxDescriptors = 16
	// maxDepth bounds the submission's JSON nesting: an entry with one path_nested is 4 levels deep.
	maxDepth = 8
	// maxNesting bounds path_nested chains: a presentation holding a credential is one level.
	maxNesting = 1
)

// ErrSubmission marks a presentation_submission that does not parse or is out of bounds.
var ErrSubmission = errors.New("malformed presentation_submission")

// Submission is a presentation_submission.
type Submission struct {
	ID            string       `json:"id"`
	DefinitionID  string       `json:"definition_id"`
	DescriptorMap []Descriptor `json:"descriptor_map"`
}

// Descriptor says where in the vp_token (Path) the answer to input descriptor ID is, in which format,
// and where inside that the credential is (PathNested).
type Descriptor struct {
	ID         string      `json:"id"`
	Format     string      `json:"format"`
	Path       string      `json:"path"`
	PathNested *Descriptor `json:"path_nested,omitempty"`
}

// ParseSubmission reads a wallet's presentation_submission: bounded in size and depth, then decoded
// once, and every path parsed.
func ParseSubmission(b []byte) (*Submission, error) {
	if err := jsonlimit.Check(b, MaxSubmissionBytes, maxDepth); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSubmission, err)
	}
	var s Submission
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSubmission, err)
	}
	if s.ID == "" || s.DefinitionID == "" {
		return nil, fmt.Errorf("%w: id and definition_id are required", ErrSubmission)
	}
	if len(s.DescriptorMap) == 0 || len(s.DescriptorMap) > MaxDescriptors {
		return nil, fmt.Errorf("%w: descriptor_map needs 1-%d entries", ErrSubmission, MaxDescriptors)
	}
	for i, d := range s.DescriptorMap {
		if err := d.check(0); err != nil {
			return nil, fmt.Errorf("%w: descriptor_map[%d]: %w", ErrSubmission, i, err)
		}
	}
	return &s, nil
}

func (d *Descriptor) check(level int) error {
	if level > maxNesting {
		return fmt.Errorf("path_nested deeper than %d", maxNesting)
	}
	if d.ID == "" || d.Format == "" {
		return errors.New("id and format are required")
	}
	if _, err := ParsePath(d.Path); err != nil {
		return err
	}
	if d.PathNested != nil {
		return d.PathNested.check(level + 1)
	}
	return nil
}
