// An OpenID4VCI wallet (holder.mjs, on @openid4vc/openid4vci) driven by wallet_interop_test.go through
// driver.mjs: the commands are receive and token (see holder.mjs) and advance (see driver.mjs).
import { receive, token } from './holder.mjs'
import { drive } from './driver.mjs'

await drive({ receive, token })
