import { Module } from "@medusajs/framework/utils"
import FlutterwaveModuleService from "./service"

export const FLUTTERWAVE_MODULE = "flutterwave"

export default Module(FLUTTERWAVE_MODULE, { service: FlutterwaveModuleService })
