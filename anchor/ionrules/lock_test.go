package ionrules

import (
	"encoding/hex"
	"math"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/lock.js max
// (ValueTimeLockVerifier.calculateMaxNumberOfOperationsAllowed; Infinity and NaN are Unlimited).
func TestMaxOperationsAllowed(t *testing.T) {
	const Infinity, NaN = Unlimited, Unlimited
	for _, tc := range []struct {
		amount, normalizedFee int64
		want                  int
	}{
		{0, 1000, 100},
		{6000000, 1000, 100},
		{6059999, 1000, 100},
		{6060000, 1000, 101},
		{5999999, 1000, 100},
		{600000000, 1000, 10000},
		{12345678901, 1000, 205761},
		{100000000, 1003, 1661},
		{100000000, 999, 1668},
		{6000000, 1, 100000},
		{60000, 1, 1000},
		{59999, 1, 999},
		{6000000, 0, Infinity},
		{0, 0, NaN},
		{17999999, 3, 99999},
		{18000000, 3, 100000},
		{1800000000, 3, 10000000},
		{6000000, -5, 100},
		{2100000000000000, 1, 35000000000000},
	} {
		lock := &ValueTimeLock{AmountLocked: tc.amount, NormalizedFee: tc.normalizedFee, LockTransactionTime: 700000, UnlockTransactionTime: 704500}
		if got := MaxOperationsAllowed(lock, sidetree.Mainnet(), v1); got != tc.want {
			t.Errorf("MaxOperationsAllowed(%d sat at fee %d) = %d, want %d", tc.amount, tc.normalizedFee, got, tc.want)
		}
	}
	if got := MaxOperationsAllowed(nil, sidetree.Mainnet(), v1); got != 100 {
		t.Errorf("MaxOperationsAllowed(no lock) = %d, want 100", got)
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/lock.js verify
// (ValueTimeLockVerifier.verifyLockAmountAndThrowOnError). Boundaries: 100 and 101 operations without a
// lock; the amount exactly enough and one satoshi short; the transaction in the lock's first block, its
// last block, and the unlock block.
func TestVerifyLockAmount(t *testing.T) {
	for _, tc := range []struct {
		hasLock               bool
		amount, normalizedFee int64
		start, unlock         int64
		owner                 string
		ops                   int
		txTime                int64
		writer                string
		wantCode              sidetree.Code
	}{
		{false, 0, 0, 0, 0, "", 100, 700000, "w", ""},
		{false, 0, 0, 0, 0, "", 101, 700000, "w", "value_time_lock_verifier_invalid_number_of_operations"},
		{false, 0, 0, 0, 0, "", 1, 700000, "w", ""},
		{true, 6060000, 1000, 700000, 704500, "other", 100, 700000, "w", ""},
		{true, 6060000, 1000, 700000, 704500, "other", 101, 700000, "w", "value_time_lock_verifier_transaction_writer_lock_owner_mismatch"},
		{true, 6060000, 1000, 700000, 704500, "w", 101, 700000, "w", ""},
		{true, 6060000, 1000, 700000, 704500, "w", 102, 700000, "w", "value_time_lock_verifier_invalid_number_of_operations"},
		{true, 6060000, 1000, 700000, 704500, "w", 101, 699999, "w", "value_time_lock_verifier_transaction_time_outside_lock_range"},
		{true, 6060000, 1000, 700000, 704500, "w", 101, 704499, "w", ""},
		{true, 6060000, 1000, 700000, 704500, "w", 101, 704500, "w", "value_time_lock_verifier_transaction_time_outside_lock_range"},
		{true, 6060000, 1000, 700000, 704500, "w", 101, 710000, "w", "value_time_lock_verifier_transaction_time_outside_lock_range"},
		{true, 600000000, 1000, 700000, 704500, "w", 10000, 702000, "w", ""},
		{true, 599999999, 1000, 700000, 704500, "w", 10000, 702000, "w", "value_time_lock_verifier_invalid_number_of_operations"},
		{true, 100, 1000, 700000, 704500, "w", 100, 600000, "other", ""},
		{true, 6000000, 0, 700000, 704500, "w", 10000, 700001, "w", ""},
		{true, 0, 1000, 700000, 704500, "w", 101, 700001, "w", "value_time_lock_verifier_invalid_number_of_operations"},
		{true, 6060000, 1000, 700000, 704500, "W", 101, 700000, "w", "value_time_lock_verifier_transaction_writer_lock_owner_mismatch"},
	} {
		var lock *ValueTimeLock
		if tc.hasLock {
			lock = &ValueTimeLock{AmountLocked: tc.amount, NormalizedFee: tc.normalizedFee, LockTransactionTime: tc.start,
				UnlockTransactionTime: tc.unlock, Owner: tc.owner}
		}
		err := VerifyLockAmount(lock, tc.ops, tc.txTime, tc.writer, sidetree.Mainnet())
		if sidetree.CodeOf(err) != tc.wantCode || (err != nil) != (tc.wantCode != "") {
			t.Errorf("VerifyLockAmount(%+v, %d ops, block %d, writer %q) = %v, want code %q", lock, tc.ops, tc.txTime, tc.writer, err, tc.wantCode)
		}
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/lock.js amount (the least
// amount the reference's calculateMaxNumberOfOperationsAllowed lets anchor the count).
func TestLockAmountForOperations(t *testing.T) {
	for _, tc := range []struct {
		normalizedFee int64
		ops           int
		want          int64
	}{
		{1000, 101, 6060000},
		{1000, 10000, 600000000},
		{1003, 101, 6078181},
		{1003, 777, 46759861},
		{999, 5000, 299700000},
		{1, 101, 6060},
		{3, 101, 18180},
		{7, 333, 139860},
		{400, 150, 3600000},
		{1234, 9999, 740325960},
		{13, 2000, 1560001},
	} {
		got := LockAmountForOperations(tc.normalizedFee, tc.ops, v1)
		if got != tc.want {
			t.Errorf("LockAmountForOperations(%d, %d) = %d, want %d", tc.normalizedFee, tc.ops, got, tc.want)
			continue
		}
		lock := func(a int64) *ValueTimeLock {
			return &ValueTimeLock{AmountLocked: a, NormalizedFee: tc.normalizedFee, LockTransactionTime: 700000, UnlockTransactionTime: 704500, Owner: "w"}
		}
		if err := VerifyLockAmount(lock(got), tc.ops, 700000, "w", sidetree.Mainnet()); err != nil {
			t.Errorf("the exact amount %d does not verify: %v", got, err)
		}
		if err := VerifyLockAmount(lock(got-1), tc.ops, 700000, "w", sidetree.Mainnet()); sidetree.CodeOf(err) != sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations {
			t.Errorf("one satoshi short (%d) gives %v", got-1, err)
		}
	}
	for _, tc := range []struct {
		fee  int64
		ops  int
		want int64
	}{{1000, 100, 0}, {1000, 1, 0}, {0, 5000, 0}, {-1, 5000, -1}, {math.MaxInt64 / 1000, 10000, -1}} {
		if got := LockAmountForOperations(tc.fee, tc.ops, v1); got != tc.want {
			t.Errorf("LockAmountForOperations(%d, %d) = %d, want %d", tc.fee, tc.ops, got, tc.want)
		}
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/lock.js freeze
// (BitcoinClient.createFreezeScript and Script.buildScriptHashOut).
func TestLockScriptMatchesReference(t *testing.T) {
	pkh, _ := hex.DecodeString("751e76e8199196d454941c45d1b3a323f1433bd6")
	for _, tc := range []struct {
		duration     int64
		want, wantPk string
	}{
		{1, "0101b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9149f62db88c6dd833d07630a88775291331ebae21487"},
		{16, "0110b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9142b0790de224596def9648f2d56c28f8338a4a15a87"},
		{17, "0111b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a914c15e22d94dbe920d6f6e71a38d61c63829d8f1a587"},
		{127, "017fb27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a914682417ee365cad3c12a418c164fc535c8bdd2ef287"},
		{128, "028000b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9142ac05e5ecf400de7f6c9a99ce2a128c8b89f813d87"},
		{150, "029600b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9145dade8ba4de6876c38eb76941bea4a1535ca41b087"},
		{255, "02ff00b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9147a1f831ae3351ab7f66ce5e91e9b469ba4e5bf1d87"},
		{256, "020001b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a914ed52040c9299887026d71972cf91d4b87462c61b87"},
		{4500, "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a914249da91bb894e21dfe80039df254d54723fce96087"},
		{32767, "02ff7fb27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9145a1bcc5135ba8c86b82a13b60265b4fd6b791e9287"},
		{32768, "03008000b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a914e3e20ff46df59cf3f89514692bd15d41375813a687"},
		{65535, "03ffff00b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a9140e01512463eda56963c0b309cfd453a2397603cb87"},
		{8388607, "03ffff7fb27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a914fd391fed2868dd4247079d13f49a9716fe4a980087"},
		{8388608, "0400008000b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a91496eb99995d254a3880d2de5c13c8399ef85eea5587"},
		{140737488355327, "06ffffffffff7fb27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "a91490feab2e35ec1ef4aa1c784b567c50da685cf17187"},
	} {
		script, err := LockScript(tc.duration, pkh)
		if err != nil || hex.EncodeToString(script) != tc.want {
			t.Errorf("LockScript(%d) = %x, %v; want %s", tc.duration, script, err, tc.want)
			continue
		}
		if got := hex.EncodeToString(LockOutputScript(script)); got != tc.wantPk {
			t.Errorf("LockOutputScript(%d) = %s, want %s", tc.duration, got, tc.wantPk)
		}
		info, err := ParseLockScript(script)
		if err != nil || info.Duration != tc.duration || info.Owner != hex.EncodeToString(pkh) {
			t.Errorf("ParseLockScript(LockScript(%d)) = %+v, %v", tc.duration, info, err)
		}
	}
	for _, d := range []int64{0, -1, 1 << 47} {
		if _, err := LockScript(d, pkh); err == nil {
			t.Errorf("LockScript(%d) succeeded", d)
		}
	}
	if _, err := LockScript(4500, pkh[:19]); err == nil {
		t.Error("LockScript with a 19-byte hash succeeded")
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/lock.js parse
// (LockResolver.createScript then isRedeemScriptALockScript; "RangeError" is Buffer.readIntLE throwing).
func TestParseLockScriptMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		name, script, wantCode string
		wantDuration           int64
		wantOwner              string
	}{
		{"mainnet", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", 4500, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"testnet", "029600b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", 150, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"threeByteDuration", "03941100b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", 4500, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"pushdata1Duration", "4c029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", 4500, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"pushdata2Duration", "4d02009411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "lock_resolver_redeem_script_is_not_lock", 0, ""},
		{"op0Duration", "00b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "RangeError", 0, ""},
		{"op16Duration", "60b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "RangeError", 0, ""},
		{"sevenByteDuration", "0701020304050607b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "RangeError", 0, ""},
		{"sixByteDuration", "06010203040580b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", -140715946212863, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"oneByteNegative", "0196b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", -106, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"unnamedOpcodeDuration", "bab27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", -70, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"cltv", "029411b17576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "lock_resolver_redeem_script_is_not_lock", 0, ""},
		{"extraOp", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac75", "lock_resolver_redeem_script_is_not_lock", 0, ""},
		{"shortHash", "029411b27576a905010203040588ac", "", 4500, "0102030405"},
		{"opcodeHash", "029411b27576a95588ac", "", 4500, "OP_5"},
		{"invisibleEmptyPush", "0294114c00b27576a914751e76e8199196d454941c45d1b3a323f1433bd64c0088ac", "", 4500, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"truncatedHash", "029411b27576a914751e76e8199196d45494", "lock_resolver_redeem_script_is_not_lock", 0, ""},
		{"truncatedLength", "029411b24d01", "lock_resolver_redeem_script_is_invalid", 0, ""},
		{"empty", "", "lock_resolver_redeem_script_is_not_lock", 0, ""},
		{"p2pkhOnly", "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "lock_resolver_redeem_script_is_not_lock", 0, ""},
		{"pushdata1Hash", "029411b27576a94c14751e76e8199196d454941c45d1b3a323f1433bd688ac", "", 4500, "751e76e8199196d454941c45d1b3a323f1433bd6"},
	} {
		script, _ := hex.DecodeString(tc.script)
		info, err := ParseLockScript(script)
		code := string(sidetree.CodeOf(err))
		if code == string(CodeLockResolverDurationUnreadable) {
			code = "RangeError"
		}
		if code != tc.wantCode || (err != nil) != (tc.wantCode != "") {
			t.Errorf("%s: ParseLockScript = %+v, %v; want code %q", tc.name, info, err, tc.wantCode)
			continue
		}
		if info.Duration != tc.wantDuration || info.Owner != tc.wantOwner {
			t.Errorf("%s: ParseLockScript = %+v, want duration %d owner %q", tc.name, info, tc.wantDuration, tc.wantOwner)
		}
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/lock.js id
// (LockIdentifierSerializer.deserialize, then Buffer.from(redeemScriptAsHex, 'hex') and serialize).
func TestParseLockIdentifierMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		input, wantCode, wantTxid, wantScript, wantReserialized string
	}{
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM==", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"YTk4ZmQyOW*!~ Q0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"YTk4ZmQyOWQ0NTgzZDFm=NjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "lock_identifier_incorrect_format", "", "", ""},
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWMuMDA", "lock_identifier_incorrect_format", "", "", ""},
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1YzAyOTQxMWIyNzU3NmE5MTQ3NTFlNzZlODE5OTE5NmQ0NTQ5NDFjNDVkMWIzYTMyM2YxNDMzYmQ2ODhhYy4", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1YzAyOTQxMWIyNzU3NmE5MTQ3NTFlNzZlODE5OTE5NmQ0NTQ5NDFjNDVkMWIzYTMyM2YxNDMzYmQ2ODhhYy4"},
		{"", "lock_identifier_incorrect_format", "", "", ""},
		{"Lg", "", "", "", "Lg"},
		{"Lg=", "", "", "", "Lg"},
		{"LgX", "", "", "", "LgU"},
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"éYTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWMé", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"YTk4ZmQ😀yOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "lock_identifier_incorrect_format", "", "", ""},
		{"YTk4ZűmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM", "lock_identifier_incorrect_format", "", "", ""},
		{"QTk4RkQyOUQ0NTgzRDFGNjkxMDY3QjBGOTJBRTgzRDM4MDhEMThDQkE1NUJENjMwREJGNTY5RkJBRUE5MzU1Qy4wMjk0MTFCMjc1NzZBOTE0NzUxRTc2RTgxOTkxOTZENDU0OTQxQzQ1RDFCM0EzMjNGMTQzM0JENjg4QUM", "", "A98FD29D4583D1F691067B0F92AE83D3808D18CBA55BD630DBF569FBAEA9355C", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "QTk4RkQyOUQ0NTgzRDFGNjkxMDY3QjBGOTJBRTgzRDM4MDhEMThDQkE1NUJENjMwREJGNTY5RkJBRUE5MzU1Qy4wMjk0MTFCMjc1NzZBOTE0NzUxRTc2RTgxOTkxOTZENDU0OTQxQzQ1RDFCM0EzMjNGMTQzM0JENjg4QUM"},
		{"OThmZDI5ZDQ1ODNkMWY2OTEwNjdiMGY5MmFlODNkMzgwOGQxOGNiYTU1YmQ2MzBkYmY1NjlmYmFlYTkzNTVjLjAyOTQxMWIyN2c3NmE5MTQ3NTFlNzZlODE5OTE5NmQ0NTQ5NDFjNDVkMWIzYTMyM2YxNDMzYmQ2ODhhYw", "", "98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b2", "OThmZDI5ZDQ1ODNkMWY2OTEwNjdiMGY5MmFlODNkMzgwOGQxOGNiYTU1YmQ2MzBkYmY1NjlmYmFlYTkzNTVjLjAyOTQxMWIyN2c3NmE5MTQ3NTFlNzZlODE5OTE5NmQ0NTQ5NDFjNDVkMWIzYTMyM2YxNDMzYmQ2ODhhYw"},
		{"YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM=", "", "a98fd29d4583d1f691067b0f92ae83d3808d18cba55bd630dbf569fbaea9355c", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "YTk4ZmQyOWQ0NTgzZDFmNjkxMDY3YjBmOTJhZTgzZDM4MDhkMThjYmE1NWJkNjMwZGJmNTY5ZmJhZWE5MzU1Yy4wMjk0MTFiMjc1NzZhOTE0NzUxZTc2ZTgxOTkxOTZkNDU0OTQxYzQ1ZDFiM2EzMjNmMTQzM2JkNjg4YWM"},
		{"//4uMDI5NDExYjI3NTc2YTkxNDc1MWU3NmU4MTk5MTk2ZDQ1NDk0MWM0NWQxYjNhMzIzZjE0MzNiZDY4OGFj", "", "��", "029411b27576a914751e76e8199196d454941c45d1b3a323f1433bd688ac", "77-977-9LjAyOTQxMWIyNzU3NmE5MTQ3NTFlNzZlODE5OTE5NmQ0NTQ5NDFjNDVkMWIzYTMyM2YxNDMzYmQ2ODhhYw"},
	} {
		id, err := ParseLockIdentifier(tc.input)
		if string(sidetree.CodeOf(err)) != tc.wantCode || (err != nil) != (tc.wantCode != "") {
			t.Errorf("ParseLockIdentifier(%q) = %+v, %v; want code %q", tc.input, id, err, tc.wantCode)
			continue
		}
		if err != nil {
			continue
		}
		if id.TransactionID != tc.wantTxid || hex.EncodeToString(id.RedeemScript()) != tc.wantScript || id.String() != tc.wantReserialized {
			t.Errorf("ParseLockIdentifier(%q) = %+v (script %x, reserialized %s); want txid %q script %s reserialized %s",
				tc.input, id, id.RedeemScript(), id, tc.wantTxid, tc.wantScript, tc.wantReserialized)
		}
	}
}
