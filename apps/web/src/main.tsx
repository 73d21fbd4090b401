import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './components/App.tsx'
import { setupI18n } from './i18n/index.ts'
import { watchForClockSteps } from './serverClock.ts'
import './styles/app.css'

await setupI18n()
watchForClockSteps()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
