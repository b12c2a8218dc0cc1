/** Stable codes for what a campaign command or the API refuses. Branch on these, not on text. */
type CampaignErrorCode = "invalid_campaign" | "invalid_time" | "not_found" | "wrong_state";

export class CampaignError extends Error {
  readonly code: CampaignErrorCode;

  constructor(code: CampaignErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CampaignError";
    this.code = code;
  }
}
