package exchange

import (
	"encoding/base64"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// QRDataURI renders content as a PNG QR code in a data: URI (the Request Service API's qrCode field).
// Medium error correction and 256 px, as wallets scan them from screens.
func QRDataURI(content string) (string, error) {
	png, err := qrcode.Encode(content, qrcode.Medium, 256)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}

// QRTerminal renders content as a QR code of Unicode half blocks for a terminal.
func QRTerminal(content string) (string, error) {
	q, err := qrcode.New(content, qrcode.Low)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	return q.ToSmallString(false), nil
}
