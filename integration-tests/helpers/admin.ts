import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules, generateJwtToken } from "@medusajs/framework/utils"

/** An admin user and a bearer token for it, made the way Medusa's own auth flow makes them. */
export async function adminHeaders(
  container: MedusaContainer,
  email = "admin@flutterwave.test"
): Promise<{ headers: Record<string, string> }> {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const [existing] = await userModule.listUsers({ email })
  const user = existing ?? (await userModule.createUsers({ email }))
  const authIdentity = await authModule.createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: `${email}#${Date.now()}` }],
    app_metadata: { user_id: user.id },
  })
  const config = container.resolve("configModule") as { projectConfig: { http: { jwtSecret?: string } } }
  const token = generateJwtToken(
    { actor_id: user.id, actor_type: "user", auth_identity_id: authIdentity.id, app_metadata: { user_id: user.id } },
    { secret: config.projectConfig.http.jwtSecret!, expiresIn: "1d" }
  )
  return { headers: { Authorization: `Bearer ${token}` } }
}

/** Keeps the body of every answer the API gives (success or error) in `answers`, for suites that check none leaks. */
export function recordAnswers(api: { interceptors: { response: { use(ok: (r: any) => any, ko: (e: any) => any): unknown } } }, answers: string[]): void {
  const record = (data: unknown) => answers.push(typeof data === "string" ? data : JSON.stringify(data))
  api.interceptors.response.use(
    (response: any) => {
      record(response.data)
      return response
    },
    (error: any) => {
      if (error.response) record(error.response.data)
      return Promise.reject(error)
    }
  )
}
