import { z } from 'zod'
import { Gender, Person, Role } from './model.ts'
import { LineText } from './text.ts'

/** A person as the secretariat manages them: the public person, and whether the account may log in. */
export const Account = Person.extend({ active: z.boolean() }).meta({ id: 'Account' })
export type Account = z.infer<typeof Account>

/** Usernames are what people type at the login: lower case letters, digits, dots, dashes and underscores. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'A username has 2 to 40 characters: letters a–z, digits, ".", "-" or "_", starting with a letter or a digit.')

const Name = LineText(120)
const DelegationId = z.string().min(1).max(100).nullable()
/** Lengths are checked by the rules (`checkNewPassword`), so the refusal names the limit; this only bounds the body. */
const Password = z.string().min(1).max(1000)

export const NewAccount = z
  .object({ username: Username, name: Name, role: Role, delegationId: DelegationId, gender: Gender.optional(), password: Password })
  .strict()
  .meta({ id: 'NewAccount' })
export type NewAccount = z.infer<typeof NewAccount>

export const AccountChange = z
  .object({ name: Name.optional(), role: Role.optional(), delegationId: DelegationId.optional(), gender: Gender.nullable().optional(), active: z.boolean().optional() })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'Say what changes: name, role, delegationId, gender or active.')
  .meta({ id: 'AccountChange' })
export type AccountChange = z.infer<typeof AccountChange>

export const PasswordChange = z.object({ password: Password }).strict().meta({ id: 'PasswordChange' })
export type PasswordChange = z.infer<typeof PasswordChange>

export const NewDelegation = z
  .object({ party: LineText(200), country: LineText(100) })
  .strict()
  .meta({ id: 'NewDelegation' })
export type NewDelegation = z.infer<typeof NewDelegation>

export const DelegationChange = NewDelegation.partial()
  .strict()
  .refine((change) => change.party !== undefined || change.country !== undefined, { message: 'Change the party, the country or both.' })
  .meta({ id: 'DelegationChange' })
export type DelegationChange = z.infer<typeof DelegationChange>
