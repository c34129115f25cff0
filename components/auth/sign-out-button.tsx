"use client";
import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: "/signin" })}
      className="w-full rounded-md px-3 py-1.5 text-left text-slate-300 hover:bg-slate-800/60 hover:text-white"
    >
      Sign out
    </button>
  );
}
