// Medusa's models register themselves in a global MikroORM store; each suite boots its own app.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")
MetadataStorage.clear()
