export * from './collab.ts'
export * from './model.ts'
export * from './colors.ts'
export * from './presence.ts'
