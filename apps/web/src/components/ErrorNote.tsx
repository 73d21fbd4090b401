/** A refusal or failure, announced to screen readers as it appears. */
export function ErrorNote({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <p role="alert" className="error">
      {message}
    </p>
  )
}
