/** The scopes this system defines: users get the first two by default; `resource:admin` guards `GET /resource/admin`. */
export const Scope = {
  Profile: 'profile',
  ResourceRead: 'resource:read',
  ResourceAdmin: 'resource:admin',
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];
