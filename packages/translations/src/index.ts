export * from './alignment.ts'
export * from './blocks.ts'
export * from './parallel.ts'
export * from './reading.ts'
