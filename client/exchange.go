package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
)

// CreatePresentationRequest asks the node for a wallet presentation request (POST
// /v1.0/verifiableCredentials/createPresentationRequest, admin token): its id, the URL for the wallet
// and its expiry. Follow it with RequestStatus or a callback.
func (c *Client) CreatePresentationRequest(ctx context.Context, req exchange.PresentationRequest) (*exchange.CreateResponse, error) {
	return c.createRequest(ctx, exchange.APIPrefix+"/createPresentationRequest", req)
}

// CreateIssuanceRequest asks the node for a wallet issuance request (POST
// /v1.0/verifiableCredentials/createIssuanceRequest, admin token).
func (c *Client) CreateIssuanceRequest(ctx context.Context, req issuance.Request) (*exchange.CreateResponse, error) {
	return c.createRequest(ctx, issuance.PathCreate, req)
}

func (c *Client) createRequest(ctx context.Context, path string, body any) (*exchange.CreateResponse, error) {
	r, err := postJSON(path, body, true)
	if err != nil {
		return nil, err
	}
	var out exchange.CreateResponse
	if err := c.call(ctx, r, &out, http.StatusCreated); err != nil {
		return nil, err
	}
	if out.RequestID == "" || out.URL == "" {
		return nil, fmt.Errorf("node %s answered without a request", c.base)
	}
	return &out, nil
}

// RequestStatus returns a wallet request's latest status and result (GET
// /v1.0/verifiableCredentials/requests/{id}, admin token).
func (c *Client) RequestStatus(ctx context.Context, id string) (*exchange.Event, error) {
	var ev exchange.Event
	r := request{method: http.MethodGet, path: exchange.APIPrefix + "/requests/" + url.PathEscape(id), admin: true, retry: true}
	if err := c.call(ctx, r, &ev, http.StatusOK); err != nil {
		return nil, err
	}
	return &ev, nil
}
