// The public names of this folder (filled as its parts land).
export {};
