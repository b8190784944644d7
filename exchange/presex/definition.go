package presex

import "strconv"

// Format identifiers of the Claim Format Registry that this package reads.
const (
	FormatJWTVP     = "jwt_vp"
	FormatJWTVPJSON = "jwt_vp_json"
	FormatJWTVC     = "jwt_vc"
	FormatJWTVCJSON = "jwt_vc_json"
)

// Definition is a presentation_definition.
type Definition struct {
	ID               string            `json:"id"`
	Name             string            `json:"name,omitempty"`
	Purpose          string            `json:"purpose,omitempty"`
	Format           map[string]Algs   `json:"format,omitempty"`
	InputDescriptors []InputDescriptor `json:"input_descriptors"`
	// SubmissionRequirements, when set, say which combinations of input descriptors (by group) answer
	// the definition; without them every input descriptor must be answered.
	SubmissionRequirements []SubmissionRequirement `json:"submission_requirements,omitempty"`
}

// Algs lists the signature algorithms accepted for a format.
type Algs struct {
	Alg []string `json:"alg"`
}

// InputDescriptor asks for one credential.
type InputDescriptor struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Purpose string `json:"purpose,omitempty"`
	// Group names the groups submission requirements pick this descriptor from.
	Group       []string    `json:"group,omitempty"`
	Constraints Constraints `json:"constraints"`
}

// Constraints are the fields a credential must have.
type Constraints struct {
	Fields []Field `json:"fields,omitempty"`
}

// Field names a value by its first path that resolves; Filter, when set, must accept it.
type Field struct {
	Path    []string `json:"path"`
	Purpose string   `json:"purpose,omitempty"`
	Filter  *Filter  `json:"filter,omitempty"`
}

// Requirement is one credential the relying party asks for: its type and, if any, the issuers it
// accepts.
type Requirement struct {
	Type    string
	Purpose string
	Issuers []string
	// Group is the input descriptor's group, for the definition's submission requirements.
	Group []string
}

// Paths where a VC-JWT's claims keep the type and the issuer: the VC-JWT encoding (vc.type, iss) first,
// then a plain JSON credential's members.
var (
	typePaths   = []string{"$.vc.type", "$.type"}
	issuerPaths = []string{"$.iss", "$.vc.issuer", "$.issuer", "$.vc.issuer.id", "$.issuer.id"}
)

// DescriptorID is the id of the input descriptor for requirement i.
func DescriptorID(i int) string { return "credential_" + strconv.Itoa(i) }

// Build returns the definition id asking for each requirement with one input descriptor
// (DescriptorID(i)): a credential whose type includes Type and, when Issuers is set, whose issuer is one
// of them. algs are the signature algorithms accepted for presentations and credentials.
func Build(id, purpose string, algs []string, reqs []Requirement) Definition {
	d := Definition{ID: id, Purpose: purpose, Format: map[string]Algs{}}
	for _, f := range []string{FormatJWTVP, FormatJWTVPJSON, FormatJWTVC, FormatJWTVCJSON} {
		d.Format[f] = Algs{Alg: algs}
	}
	for i, r := range reqs {
		fields := []Field{{Path: typePaths, Filter: &Filter{Type: "array", Contains: &Filter{Type: "string", Const: r.Type}}}}
		if len(r.Issuers) > 0 {
			fields = append(fields, Field{Path: issuerPaths, Filter: &Filter{Type: "string", Enum: r.Issuers}})
		}
		d.InputDescriptors = append(d.InputDescriptors, InputDescriptor{
			ID: DescriptorID(i), Name: r.Type, Purpose: r.Purpose, Group: r.Group, Constraints: Constraints{Fields: fields},
		})
	}
	return d
}
