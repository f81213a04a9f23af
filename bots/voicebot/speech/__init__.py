"""Speech for the voicebot: verbalizing numbers, amounts and dates, espeak-ng synthesis with a cache,
and speech recognizers (Twilio's in production, faster-whisper offline)."""
