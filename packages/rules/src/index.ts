export * from './amendmentRights.ts'
export * from './lifecycle.ts'
export * from './rights.ts'
