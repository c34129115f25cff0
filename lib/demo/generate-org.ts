// The demo organisation: teams, features with owners, endpoints, cohorts and one user per role.
// Pure data, the same on every run; later parts of the demo (events, releases, quality) build on it.
import type { Role } from "@/lib/auth/permissions";
import type { CohortKind } from "@/lib/org/cohorts";

export const DEMO_PASSWORD = "cost-review-demo";

export type DemoUser = { email: string; name: string; role: Role };
export type DemoTeam = { slug: string; name: string };
export type DemoFeature = { slug: string; name: string; team: string; owner: string };
export type DemoEndpoint = { slug: string; name: string; feature: string; description: string };
export type DemoCohort = { slug: string; name: string; kind: CohortKind; tier?: string };
export type DemoOrg = {
  users: DemoUser[];
  teams: DemoTeam[];
  features: DemoFeature[];
  endpoints: DemoEndpoint[];
  cohorts: DemoCohort[];
};

export function generateDemoOrg(): DemoOrg {
  return {
    users: [
      { email: "admin@example.com", name: "Ada Admin", role: "admin" },
      { email: "owner@example.com", name: "Priya Owner", role: "owner" },
      { email: "sam@example.com", name: "Sam Search", role: "owner" },
      { email: "finance@example.com", name: "Fay Finance", role: "finance" },
      { email: "viewer@example.com", name: "Victor Viewer", role: "viewer" },
    ],
    teams: [
      { slug: "assistant", name: "Assistant" },
      { slug: "search", name: "Search" },
      { slug: "support", name: "Support Automation" },
    ],
    features: [
      { slug: "chat", name: "Chat assistant", team: "assistant", owner: "owner@example.com" },
      { slug: "summaries", name: "Document summaries", team: "assistant", owner: "owner@example.com" },
      { slug: "semantic-search", name: "Semantic search", team: "search", owner: "sam@example.com" },
      { slug: "ticket-triage", name: "Ticket triage", team: "support", owner: "sam@example.com" },
    ],
    endpoints: [
      { slug: "chat.answer", name: "Chat answer", feature: "chat", description: "Answers a user's message in the assistant" },
      { slug: "chat.title", name: "Conversation title", feature: "chat", description: "Names a conversation after its first turn" },
      { slug: "docs.summarise", name: "Summarise document", feature: "summaries", description: "Summarises an uploaded document" },
      { slug: "search.query", name: "Search query", feature: "semantic-search", description: "Embeds the query, retrieves and reranks" },
      { slug: "support.triage", name: "Triage ticket", feature: "ticket-triage", description: "Classifies and routes a support ticket" },
    ],
    cohorts: [
      { slug: "free", name: "Free", kind: "tier" },
      { slug: "pro", name: "Pro", kind: "tier" },
      { slug: "enterprise", name: "Enterprise", kind: "tier" },
      { slug: "acme", name: "Acme Corp", kind: "tenant", tier: "enterprise" },
      { slug: "globex", name: "Globex", kind: "tenant", tier: "enterprise" },
      { slug: "initech", name: "Initech", kind: "tenant", tier: "pro" },
    ],
  };
}
