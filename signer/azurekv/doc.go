// Package azurekv keeps a signing key in Azure Key Vault (or a Managed HSM) behind the signer.Signer
// interface. A key is named by azurekv://<vault>/keys/<name>[/<version>], where <vault> is a vault name
// (<vault>.vault.azure.net) or a host name; the key must be an EC or EC-HSM key on P-256K (ES256K) or
// P-256 (ES256) that allows "sign". Key Vault signs the 32-byte digest and returns R||S; ES256K signatures
// are normalised to low S.
//
// Credentials come from azidentity's DefaultAzureCredential (environment, workload identity, managed
// identity, Azure CLI). The SDK's own retries are off: signer.Retry is the one retry policy, so that every
// throttle (HTTP 429) and outage is counted in /metrics. A key named without a version is pinned at
// start-up to the version current then, so that a version rotated in later never signs under the public
// key the node announced; restart the node to move to it.
package azurekv
